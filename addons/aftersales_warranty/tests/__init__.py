from . import test_coverage
from . import test_contracts
from . import test_repair
from . import test_repair_approval
from . import test_portal
from . import test_coverage_queries
