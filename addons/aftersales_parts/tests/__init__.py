from . import test_stock_path
from . import test_purchase_path
from . import test_core_return
from . import test_refurbished
from . import test_usage_report
