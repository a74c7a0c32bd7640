from odoo import api, fields, models


class AftersalesTicketPastEvent(models.TransientModel):
    """A manager records an answer or an arrival that was not recorded when it happened
    (R: K3, K5): its time and the reason; the clocks count it at that time."""

    _name = "aftersales.ticket.past.event"
    _description = "Record an Earlier Answer or Arrival"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    date_reported = fields.Datetime(related="ticket_id.date_reported", readonly=True)
    event = fields.Selection(
        [("answer", "Answer to the customer"), ("arrival", "Arrival on site")],
        string="What Happened", required=True, default="arrival")
    date = fields.Datetime(string="When", required=True)
    reason = fields.Text(string="Why It Is Recorded Afterwards", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["aftersales.ticket"].browse(self.env.context.get("active_id"))
        if ticket:
            values["ticket_id"] = ticket.id
            values["event"] = "answer" if ticket.state in ("new", "triage") else "arrival"
        return values

    @api.multi
    def action_confirm(self):
        """The ticket checks the role, the state, the time and the reason."""
        self.ensure_one()
        self.ticket_id._record_past_event(self.event, self.date, self.reason)
        return {"type": "ir.actions.act_window_close"}
