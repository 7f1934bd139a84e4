import sys

from surveyapp.launcher import main

sys.exit(main())
