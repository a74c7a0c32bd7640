from . import test_archive
from . import test_service_record
from . import test_portal
