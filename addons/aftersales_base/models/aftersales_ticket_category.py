from odoo import fields, models


class AftersalesTicketCategory(models.Model):
    """Fault categories (R: S18), configurable; complaint causes are reported by them (K9)."""

    _name = "aftersales.ticket.category"
    _description = "Service Request Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A category with this name already exists."),
    ]
