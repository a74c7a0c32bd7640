from odoo import api, fields, models


class AftersalesTicketNoShow(models.TransientModel):
    """The customer was not there at the appointment: reschedule (R: S4)."""

    _name = "aftersales.ticket.no_show"
    _description = "Customer No-Show"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    missed_date = fields.Datetime(related="ticket_id.appointment_date", readonly=True)
    appointment_date = fields.Datetime(string="New Appointment", required=True)
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_id"):
            values["ticket_id"] = self.env.context["active_id"]
        return values

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._register_no_show(self.appointment_date, self.note)
        return {"type": "ir.actions.act_window_close"}
