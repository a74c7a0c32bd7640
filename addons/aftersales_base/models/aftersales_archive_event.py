from odoo import api, fields, models, _
from odoo.exceptions import UserError


class AftersalesArchiveEvent(models.Model):
    """The unit's timeline: deliveries, services, changes, replacements (R: A5, A7).

    An event is a fact filed by the method that saw it happen (a delivery, a return, a signed
    service record, a done training or visit, a repair): every field is owned, so nobody types
    one in, edits one afterwards or deletes one (issue 13). Filing methods call
    `_create_owned`; corrections are new events.
    """

    _name = "aftersales.archive.event"
    _inherit = ["aftersales.guard.mixin"]
    _description = "Unit Archive Event"
    _order = "date desc, id desc"

    # No state: an event is filed once and never changes.
    _guard_state_field = None
    _guard_owned_fields = (
        "archive_id", "date", "event_type", "name", "user_id", "picking_id", "res_model",
        "res_id")

    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", required=True, index=True, ondelete="cascade",
        readonly=True, copy=False)
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True, copy=False)
    event_type = fields.Selection(
        [("delivery", "Delivery"),
         ("return", "Return"),
         ("service", "Service"),
         ("technical_change", "Technical Change"),
         ("part_replacement", "Part Replacement"),
         ("visit", "Visit"),
         ("other", "Other")],
        string="Type", required=True, default="other", readonly=True, copy=False)
    name = fields.Char(string="Description", required=True, readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True, copy=False)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False)
    res_model = fields.Char(string="Document Model", readonly=True, copy=False)
    res_id = fields.Integer(string="Document ID", readonly=True, copy=False)

    @api.multi
    def unlink(self):
        # R: A5, A7 - the timeline is the unit's history: what was filed stays filed.
        raise UserError(_("Events of a unit's timeline cannot be deleted; file a new event "
                          "to correct one."))
