from odoo import api, fields, models, _
from odoo.exceptions import UserError


class AftersalesTicketCategory(models.Model):
    """Fault categories (R: S18), configurable; complaint causes are reported by them (K9)."""

    _name = "aftersales.ticket.category"
    _description = "Service Request Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    ticket_count = fields.Integer(string="Service Requests", compute="_compute_ticket_count")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A category with this name already exists."),
    ]

    def _compute_ticket_count(self):
        counts = self.env["aftersales.ticket"].with_context(active_test=False).read_group(
            [("category_id", "in", self.ids)], ["category_id"], ["category_id"])
        by_category = {c["category_id"][0]: c["category_id_count"] for c in counts}
        for category in self:
            category.ticket_count = by_category.get(category.id, 0)

    @api.multi
    def unlink(self):
        used = self.filtered("ticket_count")
        if used:
            raise UserError(_("Category %(category)s is used by service requests; archive it "
                              "instead.") % {"category": used[0].name})
        return super().unlink()
