from . import res_company
from . import res_config_settings
from . import res_partner
from . import product_template
from . import survey
from . import aftersales_visit_rule
from . import aftersales_visit
from . import aftersales_training
