from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # R: A6 - an archive must be complete within 2 working days of delivery.
    aftersales_archive_deadline_days = fields.Integer(
        string="Archive completeness deadline (working days)",
        default=2,
    )
