from . import res_company
from . import res_config_settings
from . import product_template
from . import stock_production_lot
from . import aftersales_parts_request
from . import aftersales_parts_request_line
from . import aftersales_core_return
from . import stock_quant
from . import stock_move
from . import stock_picking
from . import purchase_order
from . import res_partner
from . import aftersales_ticket
from . import mrp_repair
from . import tier_definition
# Last: its SQL view reads columns the models above add.
from . import aftersales_parts_usage_report
