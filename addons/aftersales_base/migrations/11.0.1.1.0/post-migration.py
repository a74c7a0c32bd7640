"""Issue 15: the hotline greeting is the standard one of the time of day unless the company
wrote its own. The old default ("Good morning, ...", at any hour) is forgotten; a greeting
a company typed itself is kept."""

OLD_DEFAULT = "Good morning, after-sales service hotline, how may I help you?"


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE res_company SET aftersales_hotline_greeting = NULL "
               "WHERE aftersales_hotline_greeting = %s", (OLD_DEFAULT,))
