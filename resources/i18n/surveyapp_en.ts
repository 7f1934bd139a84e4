<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>匿名化过期退出档案……</source>
        <translation>Anonymise expired exited files…</translation>
    </message>
    <message>
        <source>档案匿名化</source>
        <translation>Anonymise files</translation>
    </message>
    <message>
        <source>没有超过保存期限（退出后 {0} 天）的退出儿童档案。</source>
        <translation>No exited child&apos;s file is older than the retention period ({0} days after the exit).</translation>
    </message>
    <message>
        <source>有 {0} 名退出儿童的档案已超过保存期限（退出后 {1} 天）。将删除其姓名、身份证号、电话、住址和备注，保留统计所需的信息。此操作不可撤销。继续吗？</source>
        <translation>{0} exited children&apos;s files are older than the retention period ({1} days after the exit). Their names, ID numbers, phone numbers, addresses and notes will be removed; what the statistics need is kept. This cannot be undone. Continue?</translation>
    </message>
    <message>
        <source>已匿名化 {0} 名儿童的档案。</source>
        <translation>{0} children&apos;s files were anonymised.</translation>
    </message>
    <message>
        <source>审计日志……</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>操作已取消，没有写入任何文件。</source>
        <translation>Cancelled. No file was written.</translation>
    </message>
    <message>
        <source>文件已存在</source>
        <translation>File already exists</translation>
    </message>
    <message>
        <source>文件 {0} 已经存在。要替换它吗？</source>
        <translation>The file {0} already exists. Replace it?</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>村级</source>
        <translation>village</translation>
    </message>
    <message>
        <source>乡镇级</source>
        <translation>township</translation>
    </message>
    <message>
        <source>县级</source>
        <translation>county</translation>
    </message>
    <message>
        <source>选择登记申请的保存位置（如U盘）</source>
        <translation>Choose where to save the enrollment request (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>登记申请已生成</source>
        <translation>Enrollment request written</translation>
    </message>
    <message>
        <source>已写入文件：{0}
位置：{1}

请把这个文件交给县里。县里登记后会给您一个登记文件，再用“工具 → 导入登记文件/信任更新”导入。</source>
        <translation>Written: {0}
Folder: {1}

Give this file to the county. After enrolling this device the county gives you an enrollment file; import it with &quot;Tools → Import enrollment file / trust update&quot;.</translation>
    </message>
    <message>
        <source>选择县里发来的登记文件或信任更新</source>
        <translation>Choose the enrollment file or trust update from the county</translation>
    </message>
    <message>
        <source>已导入：{0}</source>
        <translation>Imported: {0}</translation>
    </message>
    <message>
        <source>已知设备 {0} 台（更新编号 {1}）。</source>
        <translation>{0} known devices (update number {1}).</translation>
    </message>
    <message>
        <source>已停用的设备：{0} 台。</source>
        <translation>Revoked devices: {0}.</translation>
    </message>
    <message>
        <source>收到新的调查表：{0}（重新启动后生效）。</source>
        <translation>New survey form received: {0} (used after a restart).</translation>
    </message>
    <message>
        <source>现在可以导出数据包了。</source>
        <translation>You can now export batches.</translation>
    </message>
    <message>
        <source>登记/信任更新已导入</source>
        <translation>Enrollment / trust update imported</translation>
    </message>
    <message>
        <source>县级密钥已创建</source>
        <translation>County keys created</translation>
    </message>
    <message>
        <source>县级密钥已创建并保存在本工作区（加密）中。
密钥编号：{0}

县级密钥核对码：{1}
请把核对码书面或电话告知各乡镇和村，他们导入登记文件时要逐位核对。（“工具 → 设备列表”中也可查看。）

现在可以登记乡镇和村的设备了。</source>
        <translation>The county keys were created and stored (encrypted) in this workspace.
Key id: {0}

County key code: {1}
Give this code to every township and village on paper or by phone; they compare it digit by digit when they import their enrollment file. (Also shown in Tools → Devices.)

You can now enroll township and village devices.</translation>
    </message>
    <message>
        <source>选择设备的登记申请文件</source>
        <translation>Choose the device&apos;s enrollment request</translation>
    </message>
    <message>
        <source>选择登记文件的保存位置（如U盘）</source>
        <translation>Choose where to save the enrollment file (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>设备已登记</source>
        <translation>Device enrolled</translation>
    </message>
    <message>
        <source>已登记 {0} {1} 的设备 {2}。
已写入登记文件：{3}
位置：{4}

请把登记文件交回该设备导入。</source>
        <translation>Enrolled device {2} of {0} {1}.
Enrollment file written: {3}
Folder: {4}

Give the enrollment file back to that device to import.</translation>
    </message>
    <message>
        <source>选择导出位置（如U盘）</source>
        <translation>Choose where to export (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>正在导出数据包……</source>
        <translation>Exporting the batch…</translation>
    </message>
    <message>
        <source>请把这个文件交给县里导入。向县里上报时，一般请用“导出上报文件（上报县级）”，它会把各村的数据包一并带上。</source>
        <translation>Give this file to the county to import. To report to the county you normally use &quot;Export relay file (to the county)&quot;, which carries the villages&apos; batches along.</translation>
    </message>
    <message>
        <source>请把这个文件交给上级（乡镇）导入。</source>
        <translation>Give this file to your township to import.</translation>
    </message>
    <message>
        <source>数据包已导出</source>
        <translation>Batch exported</translation>
    </message>
    <message>
        <source>已写入文件：{0}
位置：{1}

这是本设备的第 {2} 个数据包，包含 {3} 条尚未上报的记录（建档、走访和状态变更）。</source>
        <translation>Written: {0}
Folder: {1}

This is batch number {2} of this device, with {3} records not yet reported (new files, visits and status changes).</translation>
    </message>
    <message>
        <source>选择上报文件的保存位置（如U盘）</source>
        <translation>Choose where to save the relay file (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>正在生成上报文件……</source>
        <translation>Writing the relay file…</translation>
    </message>
    <message>
        <source>上报文件已生成</source>
        <translation>Relay file written</translation>
    </message>
    <message>
        <source>已写入文件：{0}
位置：{1}

内含本乡镇的审核数据和 {2} 个村级数据包。
请把这个文件交给县里导入。</source>
        <translation>Written: {0}
Folder: {1}

It holds this township&apos;s review data and {2} village batches.
Give this file to the county to import.</translation>
    </message>
    <message>
        <source>选择乡镇下发的文件</source>
        <translation>Choose the file from the township</translation>
    </message>
    <message>
        <source>下发文件 (*.down.zip)</source>
        <translation>Township files (*.down.zip)</translation>
    </message>
    <message>
        <source>下发文件已导入</source>
        <translation>Township file imported</translation>
    </message>
    <message>
        <source>已导入乡镇 {0} 下发的文件：{1}
新增 {2} 条记录（{3} 条此前已有）。
被退回的儿童请在“已退回”页查看并修改。</source>
        <translation>Imported the file from township {0}: {1}
{2} new records ({3} were already here).
See the returned children on the &quot;Returned&quot; tab and correct them.</translation>
    </message>
    <message>
        <source>新密码至少要 {0} 个字符。</source>
        <translation>The new password needs at least {0} characters.</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致，请重新输入。</source>
        <translation>The two new passwords differ. Please type them again.</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>当前密码(&amp;O)：</source>
        <translation>Current passw&amp;ord:</translation>
    </message>
    <message>
        <source>新密码(&amp;N)：</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <source>再输一次(&amp;A)：</source>
        <translation>New password &amp;again:</translation>
    </message>
    <message>
        <source>正在修改密码……</source>
        <translation>Changing the password…</translation>
    </message>
    <message>
        <source>密码已修改</source>
        <translation>Password changed</translation>
    </message>
    <message>
        <source>用户 {0} 的密码已修改。下次登录请使用新密码。</source>
        <translation>The password of {0} was changed. Log in with the new password next time.</translation>
    </message>
    <message>
        <source>选择找回密码申请的保存位置（如U盘）</source>
        <translation>Choose where to save the password recovery request (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>找回密码申请已生成</source>
        <translation>Recovery request written</translation>
    </message>
    <message>
        <source>已写入文件：{0}
位置：{1}

请把这个文件交给县里。县里会给您一个重置文件，并通过电话告诉您一次性口令。</source>
        <translation>Written: {0}
Folder: {1}

Give this file to the county. The county gives you a reset file and tells you a one-time passphrase by phone.</translation>
    </message>
    <message>
        <source>重置文件已生成</source>
        <translation>Reset file written</translation>
    </message>
    <message>
        <source>已为用户 {0} 写入重置文件：{1}
位置：{2}

请把文件交给该用户，并通过电话（不要写在U盘上）告诉他下面的一次性口令：</source>
        <translation>Reset file for user {0} written: {1}
Folder: {2}

Give the file to the user and tell them this one-time passphrase by phone (never on the USB stick):</translation>
    </message>
    <message>
        <source>选择找回密码申请文件</source>
        <translation>Choose the recovery request</translation>
    </message>
    <message>
        <source>申请文件 (*.json);;所有文件 (*)</source>
        <translation>Requests (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>选择重置文件的保存位置（如U盘）</source>
        <translation>Choose where to save the reset file (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>文件 {0} 已经存在。请换一个位置，或先移走旧文件。</source>
        <translation>The file {0} already exists. Choose another folder, or move the old file away first.</translation>
    </message>
    <message>
        <source>正在生成重置文件……</source>
        <translation>Writing the reset file…</translation>
    </message>
    <message>
        <source>用重置文件设置新密码</source>
        <translation>Set a new password from a reset file</translation>
    </message>
    <message>
        <source>浏览(&amp;B)……</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>重置文件(&amp;R)：</source>
        <translation>&amp;Reset file:</translation>
    </message>
    <message>
        <source>一次性口令(&amp;P)：</source>
        <translation>One-time &amp;passphrase:</translation>
    </message>
    <message>
        <source>选择县里发来的重置文件</source>
        <translation>Choose the reset file from the county</translation>
    </message>
    <message>
        <source>重置文件 (*.json);;所有文件 (*)</source>
        <translation>Reset files (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>请选择重置文件并输入县里告诉您的一次性口令。</source>
        <translation>Choose the reset file and type the one-time passphrase the county told you.</translation>
    </message>
    <message>
        <source>正在设置新密码……</source>
        <translation>Setting the new password…</translation>
    </message>
    <message>
        <source>新密码已设置</source>
        <translation>New password set</translation>
    </message>
    <message>
        <source>用户 {0} 的新密码已设置，请用新密码登录。</source>
        <translation>The new password of {0} is set. Log in with it.</translation>
    </message>
    <message>
        <source>导出数据包（上报）……</source>
        <translation>Export batch (report up)…</translation>
    </message>
    <message>
        <source>导出上报文件（上报县级）……</source>
        <translation>Export relay file (to the county)…</translation>
    </message>
    <message>
        <source>导出下发文件（下发村级）……</source>
        <translation>Export file for a village (returns)…</translation>
    </message>
    <message>
        <source>导入乡镇下发文件……</source>
        <translation>Import file from the township…</translation>
    </message>
    <message>
        <source>导入回执……</source>
        <translation>Import receipts…</translation>
    </message>
    <message>
        <source>导出台账和名单……</source>
        <translation>Export ledger and lists…</translation>
    </message>
    <message>
        <source>导入台账……</source>
        <translation>Import ledger…</translation>
    </message>
    <message>
        <source>生成设备登记申请……</source>
        <translation>Write enrollment request…</translation>
    </message>
    <message>
        <source>导入登记文件/信任更新……</source>
        <translation>Import enrollment file / trust update…</translation>
    </message>
    <message>
        <source>创建县级密钥</source>
        <translation>Create county keys</translation>
    </message>
    <message>
        <source>登记设备……</source>
        <translation>Enroll a device…</translation>
    </message>
    <message>
        <source>设备列表和停用……</source>
        <translation>Devices and revocation…</translation>
    </message>
    <message>
        <source>发放信任更新/调查表……</source>
        <translation>Issue trust update / form…</translation>
    </message>
    <message>
        <source>修改密码……</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <source>签发密码重置文件……</source>
        <translation>Issue password reset file…</translation>
    </message>
    <message>
        <source>生成找回密码申请……</source>
        <translation>Write password recovery request…</translation>
    </message>
    <message>
        <source>用重置文件设置新密码……</source>
        <translation>Set new password from reset file…</translation>
    </message>
    <message>
        <source>工具(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <source>选择回执的保存位置（如U盘）</source>
        <translation>Choose where to save the receipts (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>回执已生成</source>
        <translation>Receipts written</translation>
    </message>
    <message>
        <source>已写入 {0} 个回执文件。
位置：{1}

请把回执交回发送数据包的村（乡镇），他们用“工具 → 导入回执……”导入后，下次导出就只带新的记录。</source>
        <translation>{0} receipt files written.
Folder: {1}

Give the receipts back to the villages (townships) that sent the batches. Once they import them with &quot;Tools → Import receipts…&quot;, their next export carries only new records.</translation>
    </message>
    <message>
        <source>选择上级发来的回执</source>
        <translation>Choose the receipts from the township or county</translation>
    </message>
    <message>
        <source>回执 (receipt_*.json);;所有文件 (*)</source>
        <translation>Receipts (receipt_*.json);;All files (*)</translation>
    </message>
    <message>
        <source>回执已导入</source>
        <translation>Receipts imported</translation>
    </message>
    <message>
        <source>已确认送达的数据包：{0} 个（最新为第 {1} 个）。
已送达的记录不会再重复导出，下次导出只带新的记录。</source>
        <translation>Batches confirmed as arrived: {0} (the latest is number {1}).
Records that arrived are not exported again; the next export carries only new records.</translation>
    </message>
    <message>
        <source>核对县级密钥</source>
        <translation>Check the county key</translation>
    </message>
    <message>
        <source>这个登记文件中的县级密钥核对码是：

    {0}

请与县里书面或电话提供的核对码逐位比对。两者完全一致吗？

不一致时请选“否”：文件不会被导入。请勿使用该文件，并与县里联系。</source>
        <translation>The county key code in this enrollment file is:

    {0}

Compare it digit by digit with the code the county gave you on paper or by phone. Are they exactly the same?

If not, answer No: the file is not imported. Do not use it, and call the county.</translation>
    </message>
    <message>
        <source>一致，导入(&amp;Y)</source>
        <translation>They match, import (&amp;Y)</translation>
    </message>
    <message>
        <source>不一致(&amp;N)</source>
        <translation>They differ (&amp;N)</translation>
    </message>
    <message>
        <source>县里还确认了上报文件中的 {0} 个村级数据包，下次上报不再携带。请给各村导出下发文件，把县里的回执带给他们。</source>
        <translation>The county also confirmed {0} village batches of the relay file; the next relay no longer carries them. Export a down file for each village to pass the county&apos;s receipts on to them.</translation>
    </message>
    <message>
        <source>

同时写入了信任更新：{0}
请交给相应单位用“工具 → 导入登记文件/信任更新……”导入，否则它会拒收新设备的数据包（或新设备收不到回执和下发文件）。</source>
        <translation>

Trust updates were written at the same time: {0}
Give each to its unit to import with Tools → Import enrollment file / trust update…; until then it refuses the new device&apos;s batches (or the new device gets no receipts and down files).</translation>
    </message>
</context>
<context>
    <name>AgeingPanel</name>
    <message>
        <source>满{0}岁：不再计入困境儿童，可退出</source>
        <translation>turns {0}: no longer a child in difficulty; may leave the list</translation>
    </message>
    <message>
        <source>满{0}岁：不再计为留守儿童</source>
        <translation>turns {0}: no longer counted as left-behind</translation>
    </message>
    <message>
        <source>已于 {0}</source>
        <translation>since {0}</translation>
    </message>
    <message>
        <source>将于 {0}</source>
        <translation>on {0}</translation>
    </message>
    <message>
        <source>{0}（{1}岁）{2} {3}</source>
        <translation>{0} (age {1}) {2}: {3}</translation>
    </message>
    <message>
        <source>即将超龄或已超龄（{0}天内）：{1} 名</source>
        <translation>Ageing out (within {0} days): {1}</translation>
    </message>
</context>
<context>
    <name>ArrivalsWidget</name>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>设备数</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>收到数据包</source>
        <translation>Batches received</translation>
    </message>
    <message>
        <source>最近收到</source>
        <translation>Last received</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Org unit</translation>
    </message>
    <message>
        <source>最新序号</source>
        <translation>Last sequence</translation>
    </message>
    <message>
        <source>缺少的序号</source>
        <translation>Missing sequences</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>导入数据包… (Ctrl+I)</source>
        <translation>Import batches… (Ctrl+I)</translation>
    </message>
    <message>
        <source>各村</source>
        <translation>By village</translation>
    </message>
    <message>
        <source>各设备</source>
        <translation>By device</translation>
    </message>
    <message>
        <source>正在统计收到的数据…</source>
        <translation>Counting what has arrived…</translation>
    </message>
    <message>
        <source>从未收到</source>
        <translation>Never</translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation>township</translation>
    </message>
    <message>
        <source>县</source>
        <translation>county</translation>
    </message>
    <message>
        <source>已吊销</source>
        <translation>Revoked</translation>
    </message>
    <message>
        <source>没有数据</source>
        <translation>Nothing received</translation>
    </message>
    <message>
        <source>有缺号</source>
        <translation>Gaps</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <source>{0} 个村中 {1} 个从未发来数据；{2} 台设备有缺号（可能有数据包未送到）。</source>
        <translation>{1} of {0} villages have never sent data; {2} devices have gaps (batches that may not have arrived).</translation>
    </message>
</context>
<context>
    <name>AuditLogDialog</name>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>查看</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>退出名单</source>
        <translation>Exit</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>创建</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation>Add user</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>找回密码</source>
        <translation>Password recovery</translation>
    </message>
    <message>
        <source>升级</source>
        <translation>Migrate</translation>
    </message>
    <message>
        <source>匿名化</source>
        <translation>Anonymise</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>User</translation>
    </message>
    <message>
        <source>档案编号（前 8 位即可）</source>
        <translation>Record id (first 8 characters will do)</translation>
    </message>
    <message>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>含下级设备上报的记录</source>
        <translation>Include entries received from devices below</translation>
    </message>
    <message>
        <source>筛选</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>校验审计链</source>
        <translation>Verify chain</translation>
    </message>
    <message>
        <source>导出 CSV……</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This device</translation>
    </message>
    <message>
        <source>共 {0} 条</source>
        <translation>{0} entries</translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>打开档案</source>
        <translation>child file opened</translation>
    </message>
    <message>
        <source>档案 PDF</source>
        <translation>child file PDF</translation>
    </message>
    <message>
        <source>按身份证号搜索</source>
        <translation>search by ID number</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>ledger</translation>
    </message>
    <message>
        <source>部门名单</source>
        <translation>department list</translation>
    </message>
    <message>
        <source>统计表</source>
        <translation>statistics</translation>
    </message>
    <message>
        <source>显示完整号码</source>
        <translation>reveal full numbers</translation>
    </message>
    <message>
        <source>数据包</source>
        <translation>batch</translation>
    </message>
    <message>
        <source>档案 PDF（批量）</source>
        <translation>child file PDFs (batch)</translation>
    </message>
    <message>
        <source>{0} 名</source>
        <translation>{0} children</translation>
    </message>
    <message>
        <source>完整号码</source>
        <translation>full numbers</translation>
    </message>
    <message>
        <source>已隐去号码</source>
        <translation>numbers masked</translation>
    </message>
    <message>
        <source>审计链完整</source>
        <translation>Audit chain intact</translation>
    </message>
    <message>
        <source>审计链完整：共 {0} 条记录，已与上次关闭时记录的锚点核对。</source>
        <translation>The audit chain is intact: {0} entries, checked against the anchor recorded when the app last closed the workspace.</translation>
    </message>
    <message>
        <source>导出审计日志</source>
        <translation>Export the audit log</translation>
    </message>
</context>
<context>
    <name>Backend</name>
    <message>
        <source>走访（排查日期 {0}）</source>
        <translation>visit (survey date {0})</translation>
    </message>
    <message>
        <source>状态：{0}</source>
        <translation>status: {0}</translation>
    </message>
    <message>
        <source>（导入自 {0}，第 {1} 行）</source>
        <translation> (imported from {0}, row {1})</translation>
    </message>
</context>
<context>
    <name>ChildFileView</name>
    <message>
        <source>早前版本的答案（现行表单已不再询问）</source>
        <translation>Earlier answers (no longer asked by the current form)</translation>
    </message>
    <message>
        <source>同一儿童的其他档案（各自的历史均保留）：</source>
        <translation>Other files of the same child (each keeps its history): </translation>
    </message>
    <message>
        <source>（迁出）</source>
        <translation> (moved away)</translation>
    </message>
    <message>
        <source>与另一份档案为同一儿童，已关联，不再单独计数；现档案：</source>
        <translation>The same child as another file: linked, no longer counted on its own; the child&apos;s file: </translation>
    </message>
    <message>
        <source>已迁至 {0}（{1}），在新村计数；现档案：</source>
        <translation>Moved to {0} ({1}) and counted there; the child&apos;s file now: </translation>
    </message>
    <message>
        <source>添加回访记录</source>
        <translation>Add follow-up visit</translation>
    </message>
    <message>
        <source>记录退出</source>
        <translation>Record exit</translation>
    </message>
    <message>
        <source>保存档案 PDF</source>
        <translation>Save dossier PDF</translation>
    </message>
    <message>
        <source>退回村里核实</source>
        <translation>Return to the village</translation>
    </message>
    <message>
        <source>走访与状态记录</source>
        <translation>Visits and status changes</translation>
    </message>
    <message>
        <source>儿童档案</source>
        <translation>Child file</translation>
    </message>
    <message>
        <source>强制报告：请立即向公安机关报案（110），并同时报告乡镇（街道）和县民政局；在下方记录报告情况。</source>
        <translation>Mandatory report: report to the police (110) now, and tell the township and the county civil affairs bureau at once; record the report below.</translation>
    </message>
    <message>
        <source>村（居）：{0}&#x3000;年龄：{5}&#x3000;类别：{1}&#x3000;风险：{2}&#x3000;状态：{3}&#x3000;下次走访：{4}</source>
        <translation>Village: {0}   Age: {5}   Category: {1}   Risk: {2}   Status: {3}   Next visit: {4}</translation>
    </message>
    <message>
        <source>此档案有冲突的修改，待乡镇审核。</source>
        <translation>This file has conflicting edits waiting for township review.</translation>
    </message>
    <message>
        <source>认定依据</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>未认定为留守儿童或困境儿童。</source>
        <translation>Not identified as left-behind or in difficulty.</translation>
    </message>
    <message>
        <source>此档案以表单 {0} 填写，本机没有该版本，按表单 {1} 的题目和选项显示。</source>
        <translation>This file was saved with form {0}, which this computer does not have; questions and choices are shown as in form {1}.</translation>
    </message>
</context>
<context>
    <name>ChildListPage</name>
    <message>
        <source>搜索：姓名、拼音首字母或身份证号</source>
        <translation>Search: name, pinyin initials or ID number</translation>
    </message>
    <message>
        <source>全部村（居）</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>留守儿童</source>
        <translation>Left-behind</translation>
    </message>
    <message>
        <source>困境儿童</source>
        <translation>In difficulty</translation>
    </message>
    <message>
        <source>孤儿</source>
        <translation>Orphan</translation>
    </message>
    <message>
        <source>事实无人抚养儿童</source>
        <translation>De-facto unsupported</translation>
    </message>
    <message>
        <source>全部风险</source>
        <translation>Any risk</translation>
    </message>
    <message>
        <source>高风险</source>
        <translation>High risk</translation>
    </message>
    <message>
        <source>中风险</source>
        <translation>Medium risk</translation>
    </message>
    <message>
        <source>低风险</source>
        <translation>Low risk</translation>
    </message>
    <message>
        <source>仅强制报告</source>
        <translation>Mandatory report only</translation>
    </message>
    <message>
        <source>到期需走访</source>
        <translation>Visit due</translation>
    </message>
    <message>
        <source>含已退出</source>
        <translation>Include exited</translation>
    </message>
    <message>
        <source>共 {0} 名儿童</source>
        <translation>{0} children</translation>
    </message>
</context>
<context>
    <name>ChildrenTableModel</name>
    <message>
        <source>留守</source>
        <translation>Left-behind</translation>
    </message>
    <message>
        <source>孤儿</source>
        <translation>Orphan</translation>
    </message>
    <message>
        <source>事实无人抚养</source>
        <translation>Unsupported</translation>
    </message>
    <message>
        <source>困境</source>
        <translation>In difficulty</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>一般</source>
        <translation>None</translation>
    </message>
    <message>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>在册</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已退出</source>
        <translation>Exited</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Born</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>村（居）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>风险</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>强制报告</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>最近走访</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>下次走访</source>
        <translation>Next visit</translation>
    </message>
    <message>
        <source>此档案有冲突的修改，待乡镇审核</source>
        <translation>Conflicting edits, waiting for township review</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
</context>
<context>
    <name>ChoicePage</name>
    <message>
        <source>欢迎使用摸底排查系统</source>
        <translation>Welcome to the child screening app</translation>
    </message>
    <message>
        <source>第一次使用，请选择如何开始。</source>
        <translation>First start: choose how to begin.</translation>
    </message>
    <message>
        <source>新建本机工作区（选择角色和行政区划代码）</source>
        <translation>Create a workspace on this computer (choose a role and division code)</translation>
    </message>
    <message>
        <source>加入县里的登记（查看步骤）</source>
        <translation>Join the county&apos;s enrollment (see the steps)</translation>
    </message>
    <message>
        <source>打开演示数据（示例县，约 2000 名儿童）</source>
        <translation>Open the demo (a sample county, about 2,000 children)</translation>
    </message>
</context>
<context>
    <name>ConflictDiffModel</name>
    <message>
        <source>设备 {0}</source>
        <translation>Device {0}</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>版本 {0}</source>
        <translation>Version {0}</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
</context>
<context>
    <name>ConflictListModel</name>
    <message>
        <source>儿童</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>版本数</source>
        <translation>Versions</translation>
    </message>
    <message>
        <source>不同项</source>
        <translation>Differences</translation>
    </message>
</context>
<context>
    <name>ConflictsWidget</name>
    <message>
        <source>按所选逐项合并 (Ctrl+Enter)</source>
        <translation>Merge as selected (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>没有需要处理的冲突。</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <source>同一儿童有几个同时修改的版本。逐项勾选要保留的值（空格键），或整份采用某个版本。两个版本都会保留在历史中。</source>
        <translation>The same child was edited in several places at once. Tick the value to keep for each field (Space), or take one version whole. Every version stays in the history.</translation>
    </message>
    <message>
        <source>冲突列表</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>正在查找冲突…</source>
        <translation>Looking for conflicts…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;（{1}）：{2} 个版本，{3} 项不同</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; ({1}): {2} versions, {3} differences</translation>
    </message>
    <message>
        <source>整份采用版本 &amp;{0}</source>
        <translation>Take version &amp;{0}</translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <source>age1…（县民政局提供，可不填）</source>
        <translation>age1… (from the county civil affairs bureau; optional)</translation>
    </message>
    <message>
        <source>县里的恢复公钥：填写后，忘记密码时可由县里重置（与命令行 workspace create --recovery-recipient 相同）。</source>
        <translation>The county&apos;s recovery public key: with it, the county can reset a forgotten password (as workspace create --recovery-recipient on the command line).</translation>
    </message>
    <message>
        <source>县恢复公钥</source>
        <translation>County recovery key</translation>
    </message>
    <message>
        <source>新建工作区</source>
        <translation>New workspace</translation>
    </message>
    <message>
        <source>数据保存在本机的加密文件中。请牢记密码。</source>
        <translation>Data is kept in an encrypted file on this computer. Remember the password.</translation>
    </message>
    <message>
        <source>村（居）儿童主任</source>
        <translation>Village child-welfare director</translation>
    </message>
    <message>
        <source>乡镇（街道）汇总</source>
        <translation>Township aggregator</translation>
    </message>
    <message>
        <source>县（区）民政局</source>
        <translation>County civil affairs bureau</translation>
    </message>
    <message>
        <source>村 12 位 / 乡镇 9 位 / 县 6 位</source>
        <translation>village 12 / township 9 / county 6 digits</translation>
    </message>
    <message>
        <source>浏览……</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>行政区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再次输入密码</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <source>保存位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>保存工作区</source>
        <translation>Save workspace</translation>
    </message>
    <message>
        <source>工作区 (*.sdb)</source>
        <translation>Workspace (*.sdb)</translation>
    </message>
    <message>
        <source>行政区划代码无效：应为 {0} 位有效代码。</source>
        <translation>Invalid division code: enter a valid {0}-digit code.</translation>
    </message>
    <message>
        <source>请填写单位名称。</source>
        <translation>Enter the organisation&apos;s name.</translation>
    </message>
    <message>
        <source>请填写用户名。</source>
        <translation>Enter a user name.</translation>
    </message>
    <message>
        <source>密码至少 {0} 位。</source>
        <translation>The password needs at least {0} characters.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <source>该位置已有文件，请换一个文件名。</source>
        <translation>A file already exists there. Choose another name.</translation>
    </message>
</context>
<context>
    <name>DashboardWidget</name>
    <message>
        <source>{0} 对疑似重复尚未审核：以上人数按儿童计，审核前同一儿童可能被计两次。&lt;a href=&apos;duplicates&apos;&gt;查看名单&lt;/a&gt;</source>
        <translation>{0} possible duplicates not yet reviewed: the figures count children, and until they are reviewed a child may be counted twice. &lt;a href=&apos;duplicates&apos;&gt;Show the list&lt;/a&gt;</translation>
    </message>
    <message>
        <source>各乡镇留守、困境与强制报告人数</source>
        <translation>Left-behind, in difficulty and mandatory reports by township</translation>
    </message>
    <message>
        <source>统计截至(&amp;D)：</source>
        <translation>Counted as of (&amp;D):</translation>
    </message>
    <message>
        <source>今天(&amp;T)</source>
        <translation>&amp;Today</translation>
    </message>
    <message>
        <source>年龄及与年龄有关的类别按此日期计算。</source>
        <translation>Ages and the age-bound categories are counted as of this date.</translation>
    </message>
    <message>
        <source>儿童类别构成</source>
        <translation>Categories</translation>
    </message>
    <message>
        <source>各乡镇风险等级</source>
        <translation>Risk level by township</translation>
    </message>
    <message>
        <source>各轮排查趋势</source>
        <translation>Trend by screening round</translation>
    </message>
    <message>
        <source>在册儿童</source>
        <translation>Children on file</translation>
    </message>
    <message>
        <source>留守儿童</source>
        <translation>Left-behind</translation>
    </message>
    <message>
        <source>困境儿童</source>
        <translation>In difficulty</translation>
    </message>
    <message>
        <source>强制报告</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>未报送村</source>
        <translation>Villages not reported</translation>
    </message>
    <message>
        <source>应保未保</source>
        <translation>Eligible, not covered</translation>
    </message>
    <message>
        <source>仅留守</source>
        <translation>Left-behind only</translation>
    </message>
    <message>
        <source>仅困境</source>
        <translation>In difficulty only</translation>
    </message>
    <message>
        <source>既留守又困境</source>
        <translation>Both</translation>
    </message>
    <message>
        <source>其他儿童</source>
        <translation>Others</translation>
    </message>
</context>
<context>
    <name>DevicesDialog</name>
    <message>
        <source>单位代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>设备编号</source>
        <translation>Device id</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Enrolled</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>已登记设备</source>
        <translation>Enrolled devices</translation>
    </message>
    <message>
        <source>停用所选设备(&amp;R)……</source>
        <translation>&amp;Revoke selected device…</translation>
    </message>
    <message>
        <source>重新接纳所选设备(&amp;A)……</source>
        <translation>Re-&amp;admit selected device…</translation>
    </message>
    <message>
        <source>设备丢失或被盗时，请停用它，然后给各乡镇/村发放信任更新。</source>
        <translation>When a device is lost or stolen, revoke it, then issue trust updates to the townships and villages.</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Revoked</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>确定要停用 {0}（{1}）的设备 {2} 吗？

停用后：
• 这台设备以后导出的数据包，乡镇和县里都将拒收；
• 停用之前已经导入的数据保留不变；
• 还需要给有关乡镇/村发放信任更新，它们才会知道这台设备已停用；
• 停用后这台设备和它的密钥不能再次登记；只有县里在本窗口“重新接纳所选设备”并写明理由（记入审计日志）才能再次接收它的数据包。

适用于电脑丢失、被盗或交回的情况。</source>
        <translation>Revoke device {2} of {0} ({1})?

Afterwards:
• batches this device exports from now on are refused by the township and the county;
• data imported before the revocation stays as it is;
• the townships and villages concerned learn of it only from a trust update, so issue one;
• this device and its key cannot be enrolled again; only the county can accept its batches again, with “Re-admit selected device” in this window and a reason (kept in the audit log).

For a laptop that was lost, stolen or handed back.</translation>
    </message>
    <message>
        <source>重新接纳设备</source>
        <translation>Re-admit device</translation>
    </message>
    <message>
        <source>重新接纳 {0}（{1}）的设备 {2}：它以后导出的数据包将再次被接收。
只在确认这台设备和它的密钥没有落入他人之手时才这样做（例如报失的电脑已找回且封存完好）。

请写明理由（记入审计日志）：</source>
        <translation>Re-admit device {2} of {0} ({1}): the batches it exports will be accepted again.
Do this only when you are sure that the device and its key did not fall into other hands (e.g. a laptop reported lost was found, still sealed).

Reason (kept in the audit log):</translation>
    </message>
    <message>
        <source>重新接纳(&amp;Y)</source>
        <translation>&amp;Re-admit</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>设备已重新接纳</source>
        <translation>Device re-admitted</translation>
    </message>
    <message>
        <source>设备 {0}（{1}）已重新接纳。
请通过“发放信任更新”通知有关乡镇和村。</source>
        <translation>Device {0} ({1}) was re-admitted.
Issue a trust update (“Issue trust update”) to the townships and villages concerned.</translation>
    </message>
    <message>
        <source>停用设备</source>
        <translation>Revoke device</translation>
    </message>
    <message>
        <source>停用(&amp;Y)</source>
        <translation>Revoke (&amp;Y)</translation>
    </message>
    <message>
        <source>设备已停用</source>
        <translation>Device revoked</translation>
    </message>
    <message>
        <source>设备 {0}（{1}）已停用。
请通过“发放信任更新”通知有关乡镇和村。</source>
        <translation>Device {0} ({1}) is revoked.
Tell the townships and villages concerned with &quot;Issue trust update&quot;.</translation>
    </message>
    <message>
        <source>县级密钥核对码：{0}（各乡镇和村导入登记文件时核对）</source>
        <translation>County key code: {0} (townships and villages compare it when they import their enrollment)</translation>
    </message>
    <message>
        <source>尚未创建县级密钥。</source>
        <translation>The county keys have not been created yet.</translation>
    </message>
</context>
<context>
    <name>DownDialog</name>
    <message>
        <source>下发村级（退回和审核意见）</source>
        <translation>File for a village (returns and review notes)</translation>
    </message>
    <message>
        <source>浏览(&amp;B)……</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>村(&amp;V)：</source>
        <translation>&amp;Village:</translation>
    </message>
    <message>
        <source>保存到(&amp;F)：</source>
        <translation>Save to (&amp;F):</translation>
    </message>
    <message>
        <source>文件只能由该村已登记的设备打开。没有列出的村需先由县里登记。</source>
        <translation>Only the village&apos;s enrolled devices can open the file. A village that is not listed must first be enrolled by the county.</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>选择保存位置（如U盘）</source>
        <translation>Choose where to save (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>请补充</source>
        <translation>Something is missing</translation>
    </message>
    <message>
        <source>请选择村和保存位置。</source>
        <translation>Choose the village and where to save.</translation>
    </message>
    <message>
        <source>正在生成下发文件……</source>
        <translation>Writing the file for the village…</translation>
    </message>
    <message>
        <source>下发文件已生成</source>
        <translation>File for the village written</translation>
    </message>
    <message>
        <source>已写入文件：{0}
位置：{1}

包含 {2} 条审核记录（退回、意见等）。
请把这个文件交给该村导入（工具 → 导入乡镇下发文件）。</source>
        <translation>Written: {0}
Folder: {1}

It holds {2} review records (returns, notes).
Give this file to the village to import (Tools → Import file from the township).</translation>
    </message>
    <message>
        <source>文件里还带着县里对该村数据包的回执（{0} 台设备）。</source>
        <translation>The file also carries the county&apos;s receipts for this village&apos;s batches ({0} devices).</translation>
    </message>
</context>
<context>
    <name>DuplicateListModel</name>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>儿童 A</source>
        <translation>Child A</translation>
    </message>
    <message>
        <source>儿童 B</source>
        <translation>Child B</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <source>身份证号相同</source>
        <translation>Same ID number</translation>
    </message>
    <message>
        <source>可能迁移（两个村都有）</source>
        <translation>Possibly moved (in two villages)</translation>
    </message>
    <message>
        <source>姓名、出生日期、监护人相同</source>
        <translation>Same name, birth date and guardian</translation>
    </message>
</context>
<context>
    <name>DuplicatesWidget</name>
    <message>
        <source>记录 {0}：{1}（{2}）</source>
        <translation>Record {0}: {1} ({2})</translation>
    </message>
    <message>
        <source>保留档案(&amp;K)：</source>
        <translation>&amp;Keep file:</translation>
    </message>
    <message>
        <source>没有待确认的疑似重复。</source>
        <translation>No possible duplicates to review.</translation>
    </message>
    <message>
        <source>备注（可选），例如：随父母迁居</source>
        <translation>Note (optional), e.g. moved with the parents</translation>
    </message>
    <message>
        <source>备注(&amp;N)：</source>
        <translation>&amp;Note:</translation>
    </message>
    <message>
        <source>同一儿童（关联）(&amp;L)</source>
        <translation>Same child (&amp;link)</translation>
    </message>
    <message>
        <source>不同儿童（保持独立）(&amp;S)</source>
        <translation>Different children (keep &amp;separate)</translation>
    </message>
    <message>
        <source>已迁移(&amp;M)</source>
        <translation>&amp;Moved</translation>
    </message>
    <message>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Possible duplicates</translation>
    </message>
    <message>
        <source>请核对两条记录。任何记录都不会被自动合并或删除；您的决定会作为一条修订保存并上报。</source>
        <translation>Compare the two records. Nothing is merged or deleted automatically; your decision is saved as a revision and passed up.</translation>
    </message>
    <message>
        <source>正在查找疑似重复…</source>
        <translation>Looking for possible duplicates…</translation>
    </message>
</context>
<context>
    <name>EnrollPage</name>
    <message>
        <source>加入县里的登记（设备登记步骤）</source>
        <translation>Joining the county&apos;s enrollment (device enrollment steps)</translation>
    </message>
    <message>
        <source>登记要在本机工作区里进行：

① 请返回，选“新建本机工作区”，填写本单位代码、用户名和密码；
② 登录后，用“工具 → 生成设备登记申请……”把申请文件存到U盘，交给县民政局；
③ 县里发回登记文件后，用“工具 → 导入登记文件/信任更新……”导入。

登记之前也可以录入，导出数据包要在登记之后。</source>
        <translation>Enrollment is done from a workspace on this computer:

① go back, choose &quot;Create a workspace on this computer&quot; and fill in your unit code, user name and password;
② after logging in, use &quot;Tools → Write enrollment request…&quot;, save the file to a USB stick and give it to the county civil affairs bureau;
③ when the county sends back the enrollment file, import it with &quot;Tools → Import enrollment file / trust update…&quot;.

You can enter data before enrolling; exporting batches needs the enrollment.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>磁盘已满。已有数据未受影响。请清理空间或换一个磁盘后重试。</source>
        <translation>The disk is full. Nothing was changed. Free some space or use another drive, then try again.</translation>
    </message>
    <message>
        <source>操作未能完成：{0}</source>
        <translation>The operation could not be completed: {0}</translation>
    </message>
    <message>
        <source>程序遇到意外错误（{0}），此操作未完成；已保存的数据不受影响。详细信息已写入日志文件：{1}
请把该文件交给县里的技术人员。</source>
        <translation>Unexpected error ({0}): this step was not completed; the data saved before is safe. The details were written to the log file: {1}
Please give that file to your county&apos;s IT contact.</translation>
    </message>
    <message>
        <source>（未设置日志文件）</source>
        <translation>(no log file set)</translation>
    </message>
    <message>
        <source>出错了</source>
        <translation>Something went wrong</translation>
    </message>
</context>
<context>
    <name>EvidenceModel</name>
    <message>
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>记录 A</source>
        <translation>Record A</translation>
    </message>
    <message>
        <source>记录 B</source>
        <translation>Record B</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
</context>
<context>
    <name>ExitDialog</name>
    <message>
        <source>记录退出</source>
        <translation>Record exit</translation>
    </message>
    <message>
        <source>年满18周岁</source>
        <translation>Turned 18</translation>
    </message>
    <message>
        <source>父母返乡，不再留守</source>
        <translation>Parents returned home</translation>
    </message>
    <message>
        <source>迁出本地</source>
        <translation>Moved away</translation>
    </message>
    <message>
        <source>死亡</source>
        <translation>Died</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>退出原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>退出日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>ExportsDialog</name>
    <message>
        <source>全部字段（各版本表单）</source>
        <translation>All fields (every form version)</translation>
    </message>
    <message>
        <source>年龄计算日期(&amp;A)：</source>
        <translation>Ages as &amp;of:</translation>
    </message>
    <message>
        <source>留守儿童</source>
        <translation>Left-behind</translation>
    </message>
    <message>
        <source>困境儿童</source>
        <translation>In difficulty</translation>
    </message>
    <message>
        <source>孤儿</source>
        <translation>Orphan</translation>
    </message>
    <message>
        <source>事实无人抚养</source>
        <translation>De facto unsupported</translation>
    </message>
    <message>
        <source>困难家庭</source>
        <translation>Family in hardship</translation>
    </message>
    <message>
        <source>残疾</source>
        <translation>Disability</translation>
    </message>
    <message>
        <source>监护缺失</source>
        <translation>No guardianship</translation>
    </message>
    <message>
        <source>需紧急报告</source>
        <translation>Mandatory report</translation>
    </message>
    <message>
        <source>高风险</source>
        <translation>High risk</translation>
    </message>
    <message>
        <source>中风险</source>
        <translation>Medium risk</translation>
    </message>
    <message>
        <source>低风险</source>
        <translation>Low risk</translation>
    </message>
    <message>
        <source>导出台账和名单</source>
        <translation>Export ledger and lists</translation>
    </message>
    <message>
        <source>摸底排查台账</source>
        <translation>Screening ledger</translation>
    </message>
    <message>
        <source>部门名单：{0}（{1}）</source>
        <translation>List for {0} ({1})</translation>
    </message>
    <message>
        <source>统计表（含图表）</source>
        <translation>Statistics (with charts)</translation>
    </message>
    <message>
        <source>一人一档 PDF（按村）</source>
        <translation>Child dossier PDFs (per village)</translation>
    </message>
    <message>
        <source>全部（{0}）</source>
        <translation>All ({0})</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>在册</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已退出</source>
        <translation>Exited</translation>
    </message>
    <message>
        <source>隐去身份证号和电话号码中间几位(&amp;M)</source>
        <translation>&amp;Mask the middle digits of ID and phone numbers</translation>
    </message>
    <message>
        <source>不加密时留空</source>
        <translation>Leave empty for no encryption</translation>
    </message>
    <message>
        <source>浏览(&amp;B)……</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>筛选（不勾选表示全部）</source>
        <translation>Filters (none ticked means all)</translation>
    </message>
    <message>
        <source>导出内容(&amp;K)：</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>范围(&amp;S)：</source>
        <translation>&amp;Scope:</translation>
    </message>
    <message>
        <source>状态(&amp;T)：</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>文件格式(&amp;G)：</source>
        <translation>Format (&amp;G):</translation>
    </message>
    <message>
        <source>文件密码(&amp;P)：</source>
        <translation>File &amp;password:</translation>
    </message>
    <message>
        <source>保存到(&amp;F)：</source>
        <translation>Save to (&amp;F):</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>选择保存一人一档 PDF 的文件夹</source>
        <translation>Choose the folder for the dossier PDFs</translation>
    </message>
    <message>
        <source>保存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <source>请补充</source>
        <translation>Something is missing</translation>
    </message>
    <message>
        <source>请先选择保存位置。</source>
        <translation>Choose where to save first.</translation>
    </message>
    <message>
        <source>正在导出……</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>导出完整号码</source>
        <translation>Export full numbers</translation>
    </message>
    <message>
        <source>这份名单将包含完整的身份证号和电话号码，发给{0}。
请只在对方确需完整号码时这样做，并按涉密材料交接、保管。导出记入审计日志（导出人、份数、未隐去）。

确定导出完整号码吗？</source>
        <translation>This list will hold full ID numbers and phone numbers, for {0}.
Do this only when they truly need the full numbers, and hand over and keep the file as confidential material. The export is kept in the audit log (who, how many, not masked).

Export the full numbers?</translation>
    </message>
    <message>
        <source>导出完整号码(&amp;Y)</source>
        <translation>&amp;Export full numbers</translation>
    </message>
    <message>
        <source>文件夹里已有 PDF</source>
        <translation>The folder has PDFs</translation>
    </message>
    <message>
        <source>文件夹 {0} 里已经有 PDF 文件。同名的档案要替换吗？</source>
        <translation>The folder {0} already has PDF files. Replace dossiers of the same name?</translation>
    </message>
    <message>
        <source>已生成 {0} 份一人一档 PDF。
位置：{1}</source>
        <translation>{0} dossier PDFs written.
Folder: {1}</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <source>已写入统计表：{0}
位置：{1}</source>
        <translation>Statistics written: {0}
Folder: {1}</translation>
    </message>
    <message>
        <source>身份证号和电话号码已部分隐去。</source>
        <translation>ID and phone numbers are partly masked.</translation>
    </message>
    <message>
        <source>名单含完整的身份证号和电话号码：请按涉密材料交接、保管。</source>
        <translation>The list holds full ID and phone numbers: hand it over and keep it as confidential material.</translation>
    </message>
    <message>
        <source>文件已加密，打开时需要输入您设置的密码。</source>
        <translation>The file is encrypted: opening it asks for the password you set.</translation>
    </message>
    <message>
        <source>已写入文件：{0}
位置：{1}
共 {2} 名儿童。</source>
        <translation>Written: {0}
Folder: {1}
{2} children.</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <source>年月日，如 20150308</source>
        <translation>YYYYMMDD, e.g. 20150308</translation>
    </message>
    <message>
        <source>日期格式不对：请输入如 20150308 或 2015-03-08</source>
        <translation>Not a date: type e.g. 20150308 or 2015-03-08</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>首次使用</source>
        <translation>First start</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source>调查表已更新（{0} → {1}）：本草稿按新表单打开，请核对各题，标红的题目需要重新填写。</source>
        <translation>The form was updated ({0} → {1}): this draft opens in the new form. Check each question and answer again those marked in red.</translation>
    </message>
    <message>
        <source>自上次走访以来调查表已更新（{0} → {1}）。原有答案已带入；新表单不再询问的答案保存在档案的“早前版本的答案”中。</source>
        <translation>The form was updated since the last visit ({0} → {1}). The earlier answers were carried over; answers the new form no longer asks are kept in the child file under “Earlier answers”.</translation>
    </message>
    <message>
        <source>“{0}”的原答案“{1}”不符合新表单：{2} 请重新填写。</source>
        <translation>The earlier answer “{1}” to “{0}” is not accepted by the new form: {2} Please answer it again.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>确为另一名儿童，仍新建</source>
        <translation>Another child: save a new file</translation>
    </message>
    <message>
        <source>打开已有档案</source>
        <translation>Open the existing file</translation>
    </message>
    <message>
        <source>本地已有公民身份号码为 {0} 的儿童档案：{1}（{2}）。
同一儿童请在已有档案上录入走访，不要新建第二份档案。</source>
        <translation>A child with ID number {0} is already on file here: {1} ({2}).
For the same child, record a visit on that file instead of starting a second file.</translation>
    </message>
    <message>
        <source>身份证号已在档案中</source>
        <translation>ID number already on file</translation>
    </message>
    <message>
        <source>按 Enter 添加，按 Tab 跳过</source>
        <translation>Enter adds one, Tab skips</translation>
    </message>
    <message>
        <source>（上次走访的结果；本次填完后重新计算）</source>
        <translation> (from the last visit; worked out again once this visit is complete)</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>保存草稿 (Ctrl+S)</source>
        <translation>Save draft (Ctrl+S)</translation>
    </message>
    <message>
        <source>下一节 (Ctrl+PgDown)</source>
        <translation>Next section (Ctrl+PgDown)</translation>
    </message>
    <message>
        <source>完成并提交 (Ctrl+Enter)</source>
        <translation>Finalize (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>添加一项</source>
        <translation>Add one</translation>
    </message>
    <message>
        <source>第 {0} 项</source>
        <translation>No. {0}</translation>
    </message>
    <message>
        <source>删除此项</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>强制报告：此儿童需立即向公安机关报告，并同时告知乡镇和县民政局。</source>
        <translation>Mandatory report: report this child to the police now, and tell the township and the county at once.</translation>
    </message>
    <message>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>类别：{0}    风险：{1}</source>
        <translation>Category: {0}    Risk: {1}</translation>
    </message>
    <message>
        <source>自动</source>
        <translation>computed</translation>
    </message>
    <message>
        <source>已到最后一项。按 Ctrl+Enter 完成并提交。</source>
        <translation>Last field reached. Press Ctrl+Enter to finalize.</translation>
    </message>
    <message>
        <source>草稿已自动保存 {0}</source>
        <translation>Draft saved {0}</translation>
    </message>
    <message>
        <source>已恢复上次未完成的草稿</source>
        <translation>Restored the unfinished draft</translation>
    </message>
    <message>
        <source>还有 {0} 处需要修改，不能提交：</source>
        <translation>{0} answers need fixing before finalizing:</translation>
    </message>
    <message>
        <source>已提交保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>IdCheck</name>
    <message>
        <source>本地已有此身份证号的档案：{0}（{1}），保存时可改为在该档案上录入走访</source>
        <translation>A file with this ID number is already here: {0} ({1}); when saving you can record a visit on it instead</translation>
    </message>
    <message>
        <source>已输入 {0}/18 位</source>
        <translation>{0}/18 characters</translation>
    </message>
    <message>
        <source>✓ 号码校验通过</source>
        <translation>✓ Number checks out</translation>
    </message>
    <message>
        <source>已填入出生日期 {0}</source>
        <translation>birth date {0} filled in</translation>
    </message>
    <message>
        <source>出生日期（{0}）与身份证号（{1}）不一致</source>
        <translation>The birth date ({0}) differs from the ID number ({1})</translation>
    </message>
    <message>
        <source>已填入性别</source>
        <translation>sex filled in</translation>
    </message>
    <message>
        <source>性别与身份证号不一致</source>
        <translation>the sex differs from the ID number</translation>
    </message>
    <message>
        <source>，请核对。</source>
        <translation>; please check.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>警告：{0} 含有本县未下发的表单版本 {1}，请核实来源。</source>
        <translation>Warning: {0} holds form version {1}, which this county never issued. Check where it comes from.</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>导入数据包</source>
        <translation>Import batches</translation>
    </message>
    <message>
        <source>添加文件… (Ctrl+O)</source>
        <translation>Add files… (Ctrl+O)</translation>
    </message>
    <message>
        <source>添加文件夹… (Ctrl+D)</source>
        <translation>Add folder… (Ctrl+D)</translation>
    </message>
    <message>
        <source>预检 (F6)</source>
        <translation>Check (F6)</translation>
    </message>
    <message>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>选择数据包文件或文件夹，然后按“预检”。预检不会改动任何数据。</source>
        <translation>Choose batch files or a folder, then press Check. Checking changes nothing.</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Org unit</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>Seq.</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>儿童</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>儿童 A</source>
        <translation>Child A</translation>
    </message>
    <message>
        <source>儿童 B</source>
        <translation>Child B</translation>
    </message>
    <message>
        <source>数据包</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Possible duplicates</translation>
    </message>
    <message>
        <source>拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>导入所选 (Ctrl+Enter)</source>
        <translation>Import selected (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>写回执给发送方……</source>
        <translation>Write receipts for the senders…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>文件有变动，请重新预检 (F6)。</source>
        <translation>The files changed. Run the check again (F6).</translation>
    </message>
    <message>
        <source>选择数据包</source>
        <translation>Choose batches</translation>
    </message>
    <message>
        <source>数据包 (*.batch.zip *.zip)</source>
        <translation>Batches (*.batch.zip *.zip)</translation>
    </message>
    <message>
        <source>选择包含数据包的文件夹</source>
        <translation>Choose a folder with batches</translation>
    </message>
    <message>
        <source>已取消，数据没有任何改动。</source>
        <translation>Cancelled; nothing was changed.</translation>
    </message>
    <message>
        <source>正在预检 {0} 个数据包…</source>
        <translation>Checking {0} batches…</translation>
    </message>
    <message>
        <source>正在导入 {0} 个数据包…</source>
        <translation>Importing {0} batches…</translation>
    </message>
    <message>
        <source>可导入</source>
        <translation>Can import</translation>
    </message>
    <message>
        <source>已导入过</source>
        <translation>Already imported</translation>
    </message>
    <message>
        <source>预检结果：新增 {0} 名儿童，更新 {1}，冲突 {2}，疑似重复 {3}；可导入 {4} 个数据包，已导入过 {5} 个，拒收 {6} 个。数据尚未改动。</source>
        <translation>Check: {0} new children, {1} updated, {2} conflicts, {3} possible duplicates; {4} batches can be imported, {5} already imported, {6} rejected. Nothing has changed yet.</translation>
    </message>
    <message>
        <source>已导入 {0} 个数据包，新增修订 {1} 条。</source>
        <translation>Imported {0} batches, {1} new revisions.</translation>
    </message>
</context>
<context>
    <name>LedgerImportDialog</name>
    <message>
        <source>正在读取台账……</source>
        <translation>Reading the ledger…</translation>
    </message>
    <message>
        <source>仅当台账文件设有密码时填写</source>
        <translation>Only when the ledger file has a password</translation>
    </message>
    <message>
        <source>文件密码：</source>
        <translation>File password:</translation>
    </message>
    <message>
        <source>导入台账</source>
        <extracomment>the preview&apos;s first columns, then one per mapped question</extracomment>
        <translation>Import ledger</translation>
    </message>
    <message>
        <source>台账文件（.xlsx 或 .csv）</source>
        <translation>Ledger file (.xlsx or .csv)</translation>
    </message>
    <message>
        <source>选择……</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>本系统导出的台账不需要对照文件</source>
        <translation>Not needed for a ledger this app exported</translation>
    </message>
    <message>
        <source>生成对照模板……</source>
        <translation>Write mapping template…</translation>
    </message>
    <message>
        <source>只导入通过检查的行（未通过的行列入报告）</source>
        <translation>Import the valid rows only (the refused rows go to the report)</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>台账文件：</source>
        <translation>Ledger file:</translation>
    </message>
    <message>
        <source>对照文件：</source>
        <translation>Mapping file:</translation>
    </message>
    <message>
        <source>选择台账文件后点“预览”，查看前 {0} 行的导入结果。</source>
        <translation>Choose the ledger file, then click Preview to see how its first {0} rows will be imported.</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>选择台账文件</source>
        <translation>Choose the ledger file</translation>
    </message>
    <message>
        <source>表格 (*.xlsx *.csv)</source>
        <translation>Spreadsheets (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>选择对照文件</source>
        <translation>Choose the mapping file</translation>
    </message>
    <message>
        <source>对照文件 (*.json)</source>
        <translation>Mapping files (*.json)</translation>
    </message>
    <message>
        <source>请先选择台账文件。</source>
        <translation>Choose the ledger file first.</translation>
    </message>
    <message>
        <source>保存对照模板</source>
        <translation>Save the mapping template</translation>
    </message>
    <message>
        <source>对照模板</source>
        <translation>Mapping template</translation>
    </message>
    <message>
        <source>已写入 {0}。请填写每一列对应的题目名，再选它导入。</source>
        <translation>Written to {0}. Fill in the question each column maps to, then choose it to import.</translation>
    </message>
    <message>
        <source>前 {0} 行：{1} 行可导入，{2} 行未通过检查，{3} 行疑似重复。已识别的列：{4}。未导入的列：{5}。</source>
        <translation>First {0} rows: {1} can be imported, {2} refused, {3} possible duplicates. Columns recognised: {4}. Columns not imported: {5}.</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>可导入</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>未通过</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <source>正在检查并导入台账……</source>
        <translation>Checking and importing the ledger…</translation>
    </message>
    <message>
        <source>共 {0} 行：已导入 {1} 名儿童，{2} 行未通过检查，{3} 行疑似重复。</source>
        <translation>{0} rows: {1} children imported, {2} rows refused, {3} possible duplicates.</translation>
    </message>
    <message>
        <source>{0} 行未通过检查，未导入任何数据。请按报告改正后重新导入，或勾选“只导入通过检查的行”。</source>
        <translation>{0} rows were refused, so nothing was imported. Correct them as the report says and import again, or tick &quot;Import the valid rows only&quot;.</translation>
    </message>
    <message>
        <source>报告：{0}</source>
        <translation>Report: {0}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录 — 农村留守儿童和困境儿童摸底排查</source>
        <translation>Log in — child screening</translation>
    </message>
    <message>
        <source>打开工作区</source>
        <translation>Open workspace</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>忘记密码……</source>
        <translation>Forgot password…</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>正在解锁……</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <source>忘记密码</source>
        <translation>Forgot password</translation>
    </message>
    <message>
        <source>密码不能找回，但县民政局可以帮您重新设置，数据不会丢失：

① 生成“找回密码申请”文件（存到U盘），交给县民政局；
② 县里给您一个重置文件，并电话告诉您一次性口令；
③ 回到这里选“我有重置文件”，设置新密码。</source>
        <translation>A password cannot be recovered, but the county civil affairs bureau can reset it, and no data is lost:

① Write a &quot;recovery request&quot; (to a USB stick) and give it to the county;
② the county gives you a reset file and tells you a one-time passphrase by phone;
③ come back here, choose &quot;I have a reset file&quot; and set a new password.</translation>
    </message>
    <message>
        <source>① 生成找回密码申请……</source>
        <translation>① Write recovery request…</translation>
    </message>
    <message>
        <source>③ 我有重置文件……</source>
        <translation>③ I have a reset file…</translation>
    </message>
    <message>
        <source>请先在上面填写您的用户名，再点“忘记密码”。</source>
        <translation>Type your user name above first, then click &quot;Forgot password&quot;.</translation>
    </message>
    <message>
        <source>新密码已设置，请用新密码登录。</source>
        <translation>The new password is set. Log in with it.</translation>
    </message>
    <message>
        <source>请等待 {0} 秒后重试</source>
        <translation>Wait {0} s before trying again</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>关闭标签页</source>
        <translation>Close tab</translation>
    </message>
    <message>
        <source>农村留守儿童和困境儿童摸底排查 — {0}（{1}）</source>
        <translation>Left-behind and at-risk children — {0} ({1})</translation>
    </message>
    <message>
        <source>儿童名单</source>
        <translation>Children</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>{0}  {1}  用户：{2}</source>
        <translation>{0}  {1}  user: {2}</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>新建儿童档案</source>
        <translation>New child</translation>
    </message>
    <message>
        <source>查找儿童</source>
        <translation>Find child</translation>
    </message>
    <message>
        <source>导入数据包……</source>
        <translation>Import batches…</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>界面语言 / Language</source>
        <translation>界面语言 / Language</translation>
    </message>
    <message>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <source>新建档案</source>
        <translation>New child</translation>
    </message>
    <message>
        <source>回访：{0}</source>
        <translation>Visit: {0}</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>退回村里核实</source>
        <translation>Return to the village</translation>
    </message>
    <message>
        <source>把 &lt;b&gt;{0}&lt;/b&gt;（{1}）的记录退回村里。村里下次导入时会看到您的意见，重新走访保存后即解除。</source>
        <translation>Return the record of &lt;b&gt;{0}&lt;/b&gt; ({1}) to the village. The village sees your comment at its next import; a new visit clears it.</translation>
    </message>
    <message>
        <source>请写明需要核实或更正的内容，例如：身份证号与户口簿不一致</source>
        <translation>Say what to check or correct, e.g. the ID number differs from the hukou booklet</translation>
    </message>
    <message>
        <source>意见(&amp;C)：</source>
        <translation>&amp;Comment:</translation>
    </message>
    <message>
        <source>退回 (Ctrl+Enter)</source>
        <translation>Return (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReturnNotice</name>
    <message>
        <source>{0} 退回（{1}，{2}）：{3}</source>
        <translation>Returned by {0} ({1}, {2}): {3}</translation>
    </message>
</context>
<context>
    <name>ReturnedModel</name>
    <message>
        <source>儿童</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>退回单位</source>
        <translation>Returned by</translation>
    </message>
    <message>
        <source>退回人</source>
        <translation>Returned by (user)</translation>
    </message>
    <message>
        <source>退回时间</source>
        <translation>Returned at</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
</context>
<context>
    <name>ReturnedWidget</name>
    <message>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>正在加载退回记录…</source>
        <translation>Loading returned records…</translation>
    </message>
    <message>
        <source>乡镇退回 {0} 条记录，请按意见核实后重新走访保存。</source>
        <translation>The township returned {0} records: check them as commented, then save a new visit.</translation>
    </message>
    <message>
        <source>已退回村里、尚待村里重新走访的记录：{0} 条。</source>
        <translation>Records returned to villages and awaiting a new visit: {0}.</translation>
    </message>
</context>
<context>
    <name>ReviewTabs</name>
    <message>
        <source>数据到达</source>
        <translation>Arrivals</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Possible duplicates</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>演示工作区：用户名 {0}，密码 {1}</source>
        <translation>Demo workspace: user {0}, password {1}</translation>
    </message>
    <message>
        <source>正在生成演示数据……</source>
        <translation>Building the demo county…</translation>
    </message>
</context>
<context>
    <name>TrustUpdateDialog</name>
    <message>
        <source>发放信任更新/调查表</source>
        <translation>Issue trust update / form</translation>
    </message>
    <message>
        <source>不附带调查表时留空</source>
        <translation>Leave empty to send no form</translation>
    </message>
    <message>
        <source>发给(&amp;O)：</source>
        <translation>F&amp;or:</translation>
    </message>
    <message>
        <source>调查表(&amp;X)：</source>
        <translation>Form (&amp;X):</translation>
    </message>
    <message>
        <source>保存到(&amp;F)：</source>
        <translation>Save to (&amp;F):</translation>
    </message>
    <message>
        <source>浏览……</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>信任更新告诉该乡镇/村哪些设备可信、哪些已停用；附带调查表时，设备导入后将使用新版调查表。</source>
        <translation>A trust update tells the township or village which devices to trust and which are revoked. With a form attached, its devices use the new form after importing it.</translation>
    </message>
    <message>
        <source>生成</source>
        <translation>Write</translation>
    </message>
    <message>
        <source>选择调查表</source>
        <translation>Choose the form</translation>
    </message>
    <message>
        <source>调查表 (*.xlsx)</source>
        <translation>Forms (*.xlsx)</translation>
    </message>
    <message>
        <source>选择保存位置（如U盘）</source>
        <translation>Choose where to save (e.g. the USB stick)</translation>
    </message>
    <message>
        <source>请补充</source>
        <translation>Something is missing</translation>
    </message>
    <message>
        <source>请填写接收单位和保存位置。</source>
        <translation>Fill in the receiving unit and where to save.</translation>
    </message>
    <message>
        <source>（附带调查表）</source>
        <translation> (with the form)</translation>
    </message>
    <message>
        <source>信任更新已生成</source>
        <translation>Trust update written</translation>
    </message>
    <message>
        <source>已写入文件：{0}{1}
位置：{2}

请交给 {3} 导入（工具 → 导入登记文件/信任更新）。</source>
        <translation>Written: {0}{1}
Folder: {2}

Give it to {3} to import (Tools → Import enrollment file / trust update).</translation>
    </message>
</context>
<context>
    <name>UrgentPanel</name>
    <message>
        <source>强制报告处置步骤：① 立即向公安机关报案（拨打 110）；② 同时报告乡镇（街道）和县民政局；③ 确保儿童有人临时照料，并在档案中记录报告时间和回执。</source>
        <translation>Mandatory report steps: (1) report to the police at once (call 110); (2) tell the township and the county civil affairs bureau at the same time; (3) make sure someone cares for the child meanwhile, and record the time and receipt of the report in the file.</translation>
    </message>
    <message>
        <source>需强制报告的儿童：{0} 名</source>
        <translation>Children to report: {0}</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
</TS>
