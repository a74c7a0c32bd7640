from . import aftersales_visit_report
from . import aftersales_ticket_report
from . import aftersales_training_report
from . import aftersales_service_cost_report
from . import aftersales_month_report_mixin
from . import aftersales_visit_month_report
from . import aftersales_ticket_month_report
from . import aftersales_training_month_report
