from . import aftersales_kpi_dashboard
