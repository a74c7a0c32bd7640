from odoo import api, fields, models

SEASONS = [("spring", "Spring (Mar-May)"), ("summer", "Summer (Jun-Aug)"),
           ("autumn", "Autumn (Sep-Nov)"), ("winter", "Winter (Dec-Feb)")]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # R: V2 - maintenance by time and season, from the maintenance manual.
    aftersales_maintenance_interval = fields.Integer(
        string="Maintenance Every (months)",
        help="A maintenance reminder visit is planned this many months after delivery, "
             "and again every as many months. 0: no reminders.")
    aftersales_maintenance_season = fields.Selection(
        SEASONS, string="Maintenance Season",
        help="The reminder is moved to the start of the next such season (e.g. oil change "
             "before winter).")

    @api.model
    def _aftersales_season_months(self):
        return {"spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11),
                "winter": (12, 1, 2)}
