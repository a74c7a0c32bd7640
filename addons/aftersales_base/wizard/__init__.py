from . import aftersales_ticket_dispatch
from . import aftersales_ticket_no_show
from . import aftersales_ticket_cancel
from . import aftersales_ticket_promise
from . import aftersales_ticket_past_event
