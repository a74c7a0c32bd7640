from . import aftersales_visit_report
from . import aftersales_ticket_report
from . import aftersales_training_report
from . import aftersales_service_cost_report
