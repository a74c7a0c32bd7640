from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from ..models.aftersales_visit import ENGINEER_GROUP, HOTLINE_GROUP, SCORE_FIELDS

SCORE_HELP = "1 (very dissatisfied) to 5 (very satisfied); 0 when the customer gave no score."


class AftersalesVisitAnswer(models.TransientModel):
    """What the customer answered on the phone or on site, recorded by the visitor (R: V5).

    The one way a person enters a visit's scores (issue 13): confirming records them and
    closes the visit, as a completed survey does; the visit's scores are not edited by hand.
    """

    _name = "aftersales.visit.answer"
    _description = "Record the Answers of a Return Visit"

    visit_id = fields.Many2one("aftersales.visit", string="Visit", required=True,
                               ondelete="cascade")
    score_structure = fields.Integer(string="Structure and Performance", help=SCORE_HELP)
    score_appearance = fields.Integer(string="Appearance Quality", help=SCORE_HELP)
    score_delivery = fields.Integer(string="Delivery Date", help=SCORE_HELP)
    score_price = fields.Integer(string="Price", help=SCORE_HELP)
    score_service = fields.Integer(string="After-Sales Service", help=SCORE_HELP)
    suggestions = fields.Text(string="Suggestions")

    @api.constrains(*SCORE_FIELDS.values())
    def _check_scores(self):
        for answer in self:
            if any(not 0 <= answer[f] <= 5 for f in SCORE_FIELDS.values()):
                raise ValidationError(_("Scores go from 1 (very dissatisfied) to 5 (very "
                                        "satisfied), 0 when not rated."))

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.env["aftersales.visit"]._guard_ensure_role(HOTLINE_GROUP, ENGINEER_GROUP)
        vals = {name: self[name] for name in SCORE_FIELDS.values()}
        vals["suggestions"] = self.suggestions or False
        self.visit_id._record_answers(vals)
        return {"type": "ir.actions.act_window_close"}
