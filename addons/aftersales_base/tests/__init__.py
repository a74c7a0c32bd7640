from . import test_archive
from . import test_ticket_flow
from . import test_ticket_mail
from . import test_ticket_repair_notice
from . import test_service_record
from . import test_portal
from . import test_tools
