from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    # R: V5 - a question rating one dimension; the chosen answer's score (1-5) fills the visit.
    aftersales_dimension = fields.Selection(
        [("structure", "Structure and Performance"),
         ("appearance", "Appearance Quality"),
         ("delivery", "Delivery Date"),
         ("price", "Price"),
         ("service", "After-Sales Service"),
         ("suggestion", "Suggestions")],
        string="After-Sales Dimension",
        help="Return visits read this answer: the score of the chosen answer (1-5) for a "
             "dimension, the text for suggestions.")
