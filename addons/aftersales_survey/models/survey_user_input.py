from odoo import SUPERUSER_ID, api, fields, models, _
from odoo.exceptions import AccessError


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_visit_ids = fields.One2many(
        "aftersales.visit", "user_input_id", string="Return Visits", readonly=True)

    @api.multi
    def write(self, vals):
        self._aftersales_ensure_answerable()
        result = super().write(vals)
        if vals.get("state") == "done":
            self.sudo().mapped("aftersales_visit_ids")._apply_survey_answers()
        return result

    @api.multi
    def unlink(self):
        self._aftersales_ensure_answerable()
        return super().unlink()

    @api.multi
    def _aftersales_ensure_answerable(self, answers=False):
        """The answers of a return visit are given through the survey pages of its link (the
        token is the customer's), until they are submitted (R: V5, issue 14).

        Odoo's survey models are open to every user (their access rights have no group), while
        the visit's scores, its closing and a complaint follow from these answers: over
        JSON-RPC nobody writes them, the customer included. The link's pages run as the
        superuser.
        """
        inputs = self.sudo().filtered("aftersales_visit_ids")
        if not inputs:
            return
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("The answers of a return visit are given on the pages of its "
                                "survey link only."))
        if answers and inputs.filtered(lambda i: i.state == "done"):
            raise AccessError(_("The answers of this return visit have been submitted: they "
                                "no longer change."))
