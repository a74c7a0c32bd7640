from odoo import api, fields, models, _
from odoo.exceptions import UserError

from .aftersales_service_record import RECORD_STATES


class AftersalesServiceRecordChange(models.Model):
    """A part replacement or technical change made during a service visit (R: A5).

    The lines are part of what the customer signs: they follow their record's lock (issue 13),
    added, edited and deleted while the record is a draft only.
    """

    _name = "aftersales.service.record.change"
    _inherit = ["aftersales.guard.mixin"]
    _description = "Service Record Change"
    _order = "record_id, sequence, id"

    _guard_state_field = "record_state"
    _guard_editable_fields = ("record_id", "sequence", "change_type", "name")
    _guard_open_states = ("draft",)
    _guard_locked_states = ("to_sign", "signed", "cancel")

    record_id = fields.Many2one(
        "aftersales.service.record", string="Service Record", required=True, index=True,
        ondelete="cascade")
    record_state = fields.Selection(
        RECORD_STATES, related="record_id.state", string="Record Status", readonly=True)
    sequence = fields.Integer(default=10)
    change_type = fields.Selection(
        [("part_replacement", "Part Replacement"), ("technical_change", "Technical Change")],
        string="Type", required=True, default="part_replacement")
    name = fields.Char(string="Description", required=True)

    @api.model
    def create(self, vals):
        record = self.env["aftersales.service.record"].browse(vals.get("record_id"))
        record._ensure_not_locked({"change_ids": True})
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if "record_id" in vals and any(line.record_id.id != vals["record_id"] for line in self):
            raise UserError(_("A part replacement or change belongs to its service record; "
                              "record it again on the other one."))
        self.mapped("record_id")._ensure_not_locked({"change_ids": True})
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.mapped("record_id")._ensure_not_locked({"change_ids": True})
        return super().unlink()
