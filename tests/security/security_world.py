"""The people and the records the access matrix is checked on.

Plain functions on an environment, so that the ORM test (SavepointCase, data in setUpClass) and
the HTTP tests (HttpCase, data on the server's test cursor) build the same world.

Every sample record belongs to the main company and to customer A: portal customer A should read
the ones the portal shows, customer B none, the user of the second company none.
"""
import csv
from pathlib import Path

from signatures import blank_png, signature_png  # noqa: F401 (shared with the tests)

MATRIX_FILE = Path(__file__).resolve().parent / "access_matrix.csv"
PERSONAS = ("public", "portal_a", "portal_b", "user", "hotline", "engineer", "parts_clerk",
            "quality", "manager", "general_manager", "other_company")
# The role groups of issue 13: one persona each, holding only that group.
ROLE_PERSONAS = {
    "hotline": "aftersales_base.group_aftersales_hotline",
    "engineer": "aftersales_base.group_aftersales_engineer",
    "parts_clerk": "aftersales_base.group_aftersales_parts_clerk",
    "quality": "aftersales_base.group_aftersales_quality",
}
# Rows of models that are not ours but hold our documents' data (tier validation, issue 13).
FOREIGN_MODELS = ("tier.review", "tier.definition", "survey.user_input", "survey.user_input_line")
OPERATIONS = ("create", "read", "write", "unlink")
NO_MAIL = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True,
           "no_reset_password": True}
SECRET_A = "Confidential symptom of customer A"


def load_matrix():
    """{model: {persona: "crwu" with '-' for refused}} from access_matrix.csv."""
    with MATRIX_FILE.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["model"]: {persona: row[persona] for persona in PERSONAS} for row in rows}


def write_matrix(path, cells):
    """Write {model: {persona: cell}} in the format of access_matrix.csv (the reasons of the
    designed matrix kept)."""
    with MATRIX_FILE.open(newline="") as handle:
        why = {row["model"]: row["why"] for row in csv.DictReader(handle)}
    lines = [",".join(("model",) + PERSONAS + ("why",))]
    for model in sorted(cells, key=lambda m: list(why).index(m) if m in why else len(why)):
        lines.append(",".join([model] + [cells[model][p] for p in PERSONAS]) + ',"%s"' % (
            why.get(model, "").replace('"', '""')))
    Path(path).write_text("\n".join(lines) + "\n")


def expected(matrix, model, persona, operation):
    return matrix[model][persona][OPERATIONS.index(operation)] != "-"


def password(login):
    return login + "-pwd"


def _user(env, login, groups, company=None, partner=None):
    company = company or env.ref("base.main_company")
    vals = {
        "name": login.replace("_", " ").title(), "login": login, "password": password(login),
        "email": "%s@example.com" % login, "company_id": company.id,
        "company_ids": [(6, 0, company.ids)],
        "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups])],
    }
    if partner:
        vals["partner_id"] = partner.id
    return env["res.users"].create(vals)


def build_world(env, prefix="sec"):
    """Create the personas and one sample record per model; return (users, samples, extra)."""
    env = env(context=dict(env.context, **NO_MAIL))
    company = env.ref("base.main_company")
    company_2 = env["res.company"].create({"name": "%s Second Company" % prefix.title()})
    customer_a = env["res.partner"].create({"name": "%s Customer A" % prefix, "is_company": True})
    contact_a = env["res.partner"].create({
        "name": "%s Contact A" % prefix, "parent_id": customer_a.id,
        "email": "%s_a@example.com" % prefix, "phone": "+86 512 0000 0001"})
    customer_b = env["res.partner"].create({"name": "%s Customer B" % prefix, "is_company": True})
    contact_b = env["res.partner"].create({
        "name": "%s Contact B" % prefix, "parent_id": customer_b.id,
        "email": "%s_b@example.com" % prefix})
    users = {
        "public": env.ref("base.public_user"),
        "portal_a": _user(env, "%s_portal_a" % prefix, ["base.group_portal"],
                          partner=contact_a),
        "portal_b": _user(env, "%s_portal_b" % prefix, ["base.group_portal"],
                          partner=contact_b),
        "user": _user(env, "%s_user" % prefix, ["aftersales_base.group_aftersales_user"]),
        "manager": _user(env, "%s_manager" % prefix,
                         ["aftersales_base.group_aftersales_manager"]),
        "general_manager": _user(env, "%s_gm" % prefix,
                                 ["aftersales_warranty.group_aftersales_general_manager"]),
        # A manager, so that what stops this user is the company, not a missing group.
        "other_company": _user(env, "%s_other_co" % prefix,
                               ["aftersales_base.group_aftersales_manager"], company=company_2),
    }
    for persona, group in ROLE_PERSONAS.items():
        users[persona] = _user(env, "%s_%s" % (prefix, persona), [group])
    product = env["product.product"].create({
        "name": "%s Machining Center" % prefix, "type": "product", "tracking": "serial",
        "aftersales_tracked": True})
    lot = env["stock.production.lot"].create({"name": "%s-SN-A" % prefix,
                                              "product_id": product.id})
    archive = env["aftersales.archive"].create({
        "product_id": product.id, "lot_id": lot.id, "partner_id": customer_a.id,
        "contact_id": contact_a.id, "site_address": "1 Test Road, Suzhou",
        "delivery_date": "2026-01-10"})
    lot_b = env["stock.production.lot"].create({"name": "%s-SN-B" % prefix,
                                                "product_id": product.id})
    archive_b = env["aftersales.archive"].create({
        "product_id": product.id, "lot_id": lot_b.id, "partner_id": customer_b.id,
        "contact_id": contact_b.id, "delivery_date": "2026-01-10"})
    category = env["aftersales.ticket.category"].create({"name": "%s category" % prefix})
    team = env["aftersales.hotline.team"].create({
        "name": "%s hotline" % prefix, "member_ids": [(4, users["hotline"].id)]})
    ticket = env["aftersales.ticket"].create({
        "partner_id": customer_a.id, "contact_id": contact_a.id, "archive_id": archive.id,
        "description": SECRET_A, "category_id": category.id, "channel": "phone"})
    ticket_b = env["aftersales.ticket"].create({
        "partner_id": customer_b.id, "contact_id": contact_b.id, "archive_id": archive_b.id,
        "description": "Symptom of customer B", "channel": "phone"})
    record = env["aftersales.service.record"].create({
        "archive_id": archive.id, "ticket_id": ticket.id, "partner_id": customer_a.id,
        "contact_id": contact_a.id,
        "work_done": "Replaced the spindle bearing of A.", "test_result": "passed",
        "change_ids": [(0, 0, {"change_type": "part_replacement", "name": "Bearing"})]})
    record.action_arrive()
    record.action_request_signature()
    samples = {
        "aftersales.archive": archive,
        "aftersales.archive.event": env["aftersales.archive.event"]._create_owned({
            "archive_id": archive.id, "name": "Technical change of A"}),
        "aftersales.ticket": ticket,
        "aftersales.ticket.category": category,
        "aftersales.hotline.team": team,
        "aftersales.service.record": record,
        "aftersales.service.record.change": record.change_ids[0],
    }
    samples["aftersales.repair.notice"] = env["aftersales.repair.notice"].create({
        "ticket_id": ticket.id,
        "responsible_id": users["manager"].id, "department": "Production",
        "request": "Rework the spindle housing"})
    # Wizards: rows of the after-sales user (Odoo 11: only their creator reaches them).
    user_env = env(user=users["user"].id)
    samples["aftersales.ticket.dispatch"] = user_env["aftersales.ticket.dispatch"].with_context(
        active_id=ticket.id).create({"engineer_id": users["user"].id,
                                     "appointment_date": "2026-12-01 01:00:00"})
    samples["aftersales.ticket.no_show"] = user_env["aftersales.ticket.no_show"].create({
        "ticket_id": ticket.id, "appointment_date": "2026-12-02 01:00:00"})
    samples["aftersales.ticket.cancel"] = user_env["aftersales.ticket.cancel"].create({
        "ticket_ids": [(6, 0, ticket.ids)], "reason": "Duplicate"})
    samples["aftersales.ticket.promise"] = user_env["aftersales.ticket.promise"].create({
        "ticket_id": ticket.id, "answer_deadline": "2026-12-02 01:00:00"})
    samples["aftersales.ticket.past.event"] = user_env["aftersales.ticket.past.event"].create({
        "ticket_id": ticket.id, "event": "answer", "date": "2026-12-02 01:00:00",
        "reason": "Answered by phone"})
    _tier_samples(env, samples, users)
    if "aftersales.warranty" in env:
        _warranty_samples(env, samples, users, archive, product, customer_a, user_env)
    if "aftersales.parts.request" in env:
        _parts_samples(env, samples, archive, customer_a, contact_a, users)
    if "aftersales.visit" in env:
        _survey_samples(env, samples, archive, customer_a, user_env)
    extra = {"company_2": company_2, "customer_a": customer_a, "customer_b": customer_b,
             "contact_a": contact_a, "contact_b": contact_b, "archive_b": archive_b,
             "ticket_b": ticket_b, "product": product}
    return users, samples, extra


def _tier_samples(env, samples, users):
    """A level of approval and a review of the repair notice (R: S10). The level applies to
    that notice only, so that it asks nothing of the other documents of the world."""
    # a notice of its own: a review on the sample notice would put it under validation
    notice = samples["aftersales.repair.notice"].copy()
    definition = env["tier.definition"].create({
        "name": "Security level", "model_id": env["ir.model"]._get(notice._name).id,
        "review_type": "group",
        "reviewer_group_id": env.ref("aftersales_base.group_aftersales_manager").id,
        "definition_domain": "[('id', '=', %d)]" % notice.id})
    Review = env["tier.review"]
    allow = getattr(Review, "_tier_allow", None)
    vals = {"model": notice._name, "res_id": notice.id, "definition_id": definition.id,
            "requested_by": users["user"].id}
    if allow:
        with allow():
            review = Review.create(vals)
    else:
        review = Review.create(vals)
    samples["tier.definition"] = definition
    samples["tier.review"] = review


def _warranty_samples(env, samples, users, archive, product, customer_a, user_env):
    samples["aftersales.warranty.policy"] = env["aftersales.warranty.policy"].create({
        "name": "Security policy", "product_tmpl_id": product.product_tmpl_id.id,
        "replacement_months": 12, "repair_months": 24})
    samples["aftersales.warranty.exclusion"] = env["aftersales.warranty.exclusion"].create({
        "name": "Security exclusion"})
    samples["aftersales.warranty"] = archive.warranty_ids[:1] or env["aftersales.warranty"].create(
        {"archive_id": archive.id, "date_start": "2026-01-10", "date_end": "2028-01-09"})
    other = env["aftersales.archive"].search([("id", "!=", archive.id)], limit=1)
    samples["aftersales.archive.warranty.transfer"] = user_env[
        "aftersales.archive.warranty.transfer"].create({
            "archive_id": archive.id, "new_archive_id": other.id})


def _parts_samples(env, samples, archive, customer_a, contact_a, users):
    part = env["product.product"].create({
        "name": "Security Bearing", "type": "product", "aftersales_spare_part": True})
    request = env["aftersales.parts.request"].create({
        "archive_id": archive.id, "partner_id": customer_a.id,
        "partner_shipping_id": contact_a.id, "engineer_id": users["user"].id,
        "line_ids": [(0, 0, {"product_id": part.id, "quantity": 1.0})]})
    samples["aftersales.parts.request"] = request
    samples["aftersales.parts.request.line"] = request.line_ids[0]
    samples["aftersales.core.return"] = env["aftersales.core.return"].create({
        "partner_id": customer_a.id, "product_id": part.id, "archive_id": archive.id,
        "date_due": "2026-03-01"})
    # A usage report row: a done move of the request line (the view reads done moves only).
    move = env["stock.move"].create({
        "name": "Security issue", "product_id": part.id, "product_uom": part.uom_id.id,
        "product_uom_qty": 1.0, "location_id": env.ref("stock.stock_location_stock").id,
        "location_dest_id": env.ref("stock.stock_location_customers").id,
        "aftersales_parts_line_id": request.line_ids[0].id})
    move.write({"state": "done", "date": "2026-02-01 08:00:00"})
    samples["aftersales.parts.usage.report"] = _report_row(
        env, "aftersales.parts.usage.report", [("part_id", "=", part.id)])


def _survey_samples(env, samples, archive, customer_a, user_env):
    samples["aftersales.visit.rule"] = env["aftersales.visit.rule"].create({
        "name": "Security rule", "rule_type": env["aftersales.visit.rule"]._fields[
            "rule_type"].get_values(env)[0], "active": False})
    survey = env.ref("aftersales_survey.survey_usage_feedback")
    visit = samples["aftersales.visit"] = env["aftersales.visit"].create({
        "partner_id": customer_a.id, "archive_id": archive.id, "survey_id": survey.id,
        "planned_date": "2026-02-01", "deadline": "2026-02-10"})
    # the visit's survey answer, half filled in on the pages of its link (issue 14)
    samples["survey.user_input"] = visit.user_input_id
    question = survey.page_ids.mapped("question_ids").filtered(
        lambda q: q.type == "simple_choice")[:1]
    samples["survey.user_input_line"] = env["survey.user_input_line"].create({
        "user_input_id": visit.user_input_id.id, "survey_id": survey.id,
        "question_id": question.id, "answer_type": "suggestion",
        "value_suggested": question.labels_ids[:1].id})
    training = env["aftersales.training"].create({
        "archive_id": archive.id, "usage_explained": True, "instructions_supplied": True,
        "trainee_ids": [(0, 0, {"name": "Trainee of A", "passed": True})]})
    training.action_done()  # the analysis counts done trainings only
    samples["aftersales.training"] = training
    samples["aftersales.training.trainee"] = training.trainee_ids[0]
    samples["aftersales.kpi.dashboard"] = user_env["aftersales.kpi.dashboard"].create({})
    samples["aftersales.visit.answer"] = user_env["aftersales.visit.answer"].create({
        "visit_id": samples["aftersales.visit"].id})
    samples["aftersales.visit.report"] = _report_row(
        env, "aftersales.visit.report", [("partner_id", "=", customer_a.id)])
    samples["aftersales.ticket.report"] = _report_row(
        env, "aftersales.ticket.report", [("partner_id", "=", customer_a.id)])
    samples["aftersales.training.report"] = _report_row(
        env, "aftersales.training.report", [("partner_id", "=", customer_a.id)])
    # The monthly reports are company-wide (no customer in them): a row of the main company
    # after a refresh.
    for model in ("aftersales.visit.month.report", "aftersales.ticket.month.report",
                  "aftersales.training.month.report"):
        env[model]._refresh()
        samples[model] = _report_row(env, model, [("company_id", "=", archive.company_id.id)])
    # The cost analysis reads signed service records only.
    signed = env["aftersales.service.record"].create({
        "archive_id": archive.id, "partner_id": customer_a.id, "cost_vehicle": 250.0,
        "work_done": "Adjusted the gibs of A.", "test_result": "passed"})
    signed.action_arrive()
    signed.action_request_signature()
    signed.action_sign("Signer of A", signature_png())
    samples["aftersales.service.cost.report"] = _report_row(
        env, "aftersales.service.cost.report", [("record_id", "=", signed.id)])


def _report_row(env, model, domain):
    env[model].invalidate_cache()
    row = env[model].search(domain, limit=1)
    assert row, "no %s row for the sample data: the matrix would check nothing" % model
    return row
