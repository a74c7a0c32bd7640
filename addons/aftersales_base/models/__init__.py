from . import res_company
from . import res_config_settings
from . import product_template
from . import aftersales_archive
from . import aftersales_archive_event
from . import res_partner
from . import stock_move
