from odoo import fields, models


class MailActivityMixin(models.AbstractModel):
    """The suite's documents ask people to act through activities; Odoo 11 has no
    activity_schedule(), so this is the one place that creates them."""

    _inherit = "mail.activity.mixin"

    def _aftersales_schedule_activity(self, activity_type, user, summary, note=False,
                                      deadline=None):
        """Give `user` an activity of `activity_type` on this record, due `deadline` (today)."""
        self.ensure_one()
        return self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "summary": summary,
            "note": note,
            "date_deadline": deadline or fields.Date.context_today(self),
        })
