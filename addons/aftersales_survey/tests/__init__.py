from . import test_visit_rules
from . import test_visit
from . import test_training
from . import test_kpi
from . import test_survey_http
from . import test_visit_batches
