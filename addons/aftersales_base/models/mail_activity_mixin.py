from odoo import fields, models
from odoo.tools import html_escape


class MailActivityMixin(models.AbstractModel):
    """The suite's documents ask people to act through activities; Odoo 11 has no
    activity_schedule(), so this is the one place that creates them."""

    _inherit = "mail.activity.mixin"

    def _aftersales_schedule_activity(self, activity_type, user, summary, note=False,
                                      deadline=None):
        """Give `user` an activity of `activity_type` on this record, due `deadline` (today).

        `note` is plain text, often the customer's own words (a symptom, an address): it is
        shown as text, never as markup (issue 14).
        """
        self.ensure_one()
        return self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "summary": summary,
            "note": self._aftersales_note_html(note),
            "date_deadline": deadline or fields.Date.context_today(self),
        })

    def _aftersales_activities(self, activity_type):
        """The open activities of `activity_type` on these records, whoever they are for (the
        flows that move or finish them act for the people they concern)."""
        return self.sudo().mapped("activity_ids").filtered(
            lambda activity: activity.activity_type_id == activity_type)

    def _aftersales_finish_activities(self, activity_type, feedback=False):
        """Mark the open activities of `activity_type` done (with `feedback` in the chatter):
        the event they asked for happened."""
        activities = self._aftersales_activities(activity_type)
        if activities:
            activities.action_feedback(feedback=feedback)

    @staticmethod
    def _aftersales_note_html(note):
        """Plain text as the activity's HTML note: escaped, lines kept, nothing made a link."""
        if not note:
            return False
        return "<p>%s</p>" % "<br/>".join(html_escape(line) for line in note.splitlines())
