from odoo import fields, models


class AftersalesArchiveEvent(models.Model):
    """The unit's timeline: deliveries, services, changes, replacements (R: A5, A7)."""

    _name = "aftersales.archive.event"
    _description = "Unit Archive Event"
    _order = "date desc, id desc"

    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", required=True, index=True, ondelete="cascade")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    event_type = fields.Selection(
        [("delivery", "Delivery"),
         ("return", "Return"),
         ("service", "Service"),
         ("technical_change", "Technical Change"),
         ("part_replacement", "Part Replacement"),
         ("visit", "Visit"),
         ("other", "Other")],
        string="Type", required=True, default="other")
    name = fields.Char(string="Description", required=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    picking_id = fields.Many2one("stock.picking", string="Transfer")
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True)
