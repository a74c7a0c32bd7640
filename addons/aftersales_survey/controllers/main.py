from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager


class AftersalesVisitPortal(CustomerPortal):
    """/my/visits: the customer's return visits with the link to answer each survey (R: V8).

    Visits are read with the portal user's own rights: the record rule limits them to the
    user's company (commercial partner).
    """

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["visit_count"] = request.env["aftersales.visit"].search_count(
            self._visit_domain())
        return values

    def _visit_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id), ("state", "!=", "cancel")]

    @route(["/my/visits", "/my/visits/page/<int:page>"], type="http", auth="user",
           website=True)
    def portal_my_visits(self, page=1, **kw):
        visits_model = request.env["aftersales.visit"]
        domain = self._visit_domain()
        total = visits_model.search_count(domain)
        pager = portal_pager(url="/my/visits", total=total, page=page,
                             step=self._items_per_page)
        visits = visits_model.search(domain, order="state desc, deadline desc",
                                     limit=self._items_per_page, offset=pager["offset"])
        # the layout without the /my counters (see aftersales_base's _document_layout_values)
        values = CustomerPortal._prepare_portal_layout_values(self)
        values.update({"visits": visits, "pager": pager, "page_name": "visit",
                       "default_url": "/my/visits"})
        return request.render("aftersales_survey.portal_my_visits", values)
