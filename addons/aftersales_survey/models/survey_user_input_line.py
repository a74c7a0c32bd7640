from odoo import api, models


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input_line"

    @api.model
    def create(self, vals):
        self._aftersales_inputs(vals)._aftersales_ensure_answerable(answers=True)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        inputs = self.mapped("user_input_id") | self._aftersales_inputs(vals)
        inputs._aftersales_ensure_answerable(answers=True)
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.mapped("user_input_id")._aftersales_ensure_answerable(answers=True)
        return super().unlink()

    def _aftersales_inputs(self, vals):
        """The survey answers that `vals` attach lines to (R: V5, issue 14)."""
        input_id = vals.get("user_input_id")
        if not isinstance(input_id, int):
            return self.env["survey.user_input"]
        return self.env["survey.user_input"].browse(input_id).exists()
