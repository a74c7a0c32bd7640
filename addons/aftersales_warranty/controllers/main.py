from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager


class WarrantyPortal(CustomerPortal):
    """The customer's warranties: each unit's cover, its end and its extended contracts."""

    def _warranty_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", [partner.id]), ("state", "!=", "cancel")]

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        Warranty = request.env["aftersales.warranty"]
        values["warranty_count"] = Warranty.search_count(self._warranty_domain()) \
            if Warranty.check_access_rights("read", raise_exception=False) else 0
        return values

    @http.route(["/my/warranties", "/my/warranties/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_warranties(self, page=1, **kw):
        # the layout without the /my counters (see aftersales_base's _document_layout_values)
        values = CustomerPortal._prepare_portal_layout_values(self)
        # record rules restrict portal users to their commercial partner's contracts
        Warranty = request.env["aftersales.warranty"]
        domain = self._warranty_domain()
        pager = portal_pager(url="/my/warranties", total=Warranty.search_count(domain),
                             page=page, step=self._items_per_page)
        warranties = Warranty.search(domain, order="archive_id, date_start",
                                     limit=self._items_per_page, offset=pager["offset"])
        values.update({
            # sudo: the contracts were searched above with the user's own rights (record rule
            # on the commercial partner); sudo only displays their unit, serial and product.
            "warranties": warranties.sudo(),
            "page_name": "warranty",
            "pager": pager,
            "default_url": "/my/warranties",
        })
        return request.render("aftersales_warranty.portal_my_warranties", values)
