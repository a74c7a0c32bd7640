from . import aftersales_kpi_dashboard
from . import aftersales_visit_answer
