from odoo import api, fields, models, _
from odoo.exceptions import UserError


class AftersalesServiceRecordChange(models.Model):
    """A part replacement or technical change made during a service visit (R: A5)."""

    _name = "aftersales.service.record.change"
    _description = "Service Record Change"
    _order = "record_id, sequence, id"

    record_id = fields.Many2one(
        "aftersales.service.record", string="Service Record", required=True, index=True,
        ondelete="cascade")
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
        self.mapped("record_id")._ensure_not_locked({"change_ids": True})
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.mapped("record_id")._ensure_not_locked({"change_ids": True})
        return super().unlink()
