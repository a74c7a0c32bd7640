from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_core_overdue_count = fields.Integer(
        string="Overdue Cores", compute="_compute_aftersales_core_overdue_count")

    def _compute_aftersales_core_overdue_count(self):
        """R: P2 - late core returns, counted per customer with one read_group."""
        counts = self.env["aftersales.core.return"].read_group(
            [("partner_id", "in", self.ids), ("is_overdue", "=", True)],
            ["partner_id"], ["partner_id"])
        by_partner = {c["partner_id"][0]: c["partner_id_count"] for c in counts}
        for partner in self:
            partner.aftersales_core_overdue_count = by_partner.get(partner.id, 0)

    @api.multi
    def action_view_overdue_core_returns(self):
        self.ensure_one()
        action = self.env.ref("aftersales_parts.aftersales_core_return_action").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_overdue": 1}
        return action
