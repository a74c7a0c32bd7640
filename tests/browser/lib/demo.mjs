// Fresh records for the flows, made over JSON-RPC as the admin on the demo database: what
// happened before the screen a flow tests (a call already dispatched, a record waiting for a
// signature...). Each call creates new records, so a flow runs again on the same database.
import { ADMIN, FlowError, Rpc, config } from './odoo.mjs';

export const SUZHOU = 'aftersales_base.partner_suzhou_demo';
export const NINGBO = 'aftersales_base.partner_ningbo_demo';

export async function admin() {
    return new Rpc().login(ADMIN);
}

export function stamp() {
    return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

// 'YYYY-MM-DD HH:MM:SS' in UTC, `hours` from now, as Odoo 11 stores datetimes.
export function odooDatetime(hours = 0) {
    return new Date(Date.now() + hours * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function archiveBySerial(rpc, serial) {
    const [archive] = await rpc.call('aftersales.archive', 'search_read',
        [[['lot_id.name', '=', serial]], ['partner_id', 'contact_id', 'product_id']]);
    if (!archive) throw new FlowError(`no unit archive for serial ${serial} in the demo data`);
    // issue 15: what the customer reads (signing page, PDF, e-mail) is in the customer's
    // language: the customer of this run speaks the run's language
    const people = [archive.partner_id[0]].concat(archive.contact_id ? [archive.contact_id[0]] : []);
    await rpc.call('res.partner', 'write', [people, { lang: config.lang }]);
    return archive;
}

// A phone request about `serial`, triaged, dispatched to `engineerUid` and with the engineer on site.
export async function ticketOnSite(rpc, serial, engineerUid, title) {
    const archive = await archiveBySerial(rpc, serial);
    const ticketId = await rpc.call('aftersales.ticket', 'create', [{
        channel: 'phone', title, partner_id: archive.partner_id[0], archive_id: archive.id,
        contact_id: archive.contact_id && archive.contact_id[0],
        description: 'Hydraulic clamping pressure drops during roughing; alarm 1012.',
    }]);
    await rpc.call('aftersales.ticket', 'action_triage', [[ticketId]]);
    const context = { active_id: ticketId, active_ids: [ticketId], active_model: 'aftersales.ticket' };
    const wizard = await rpc.call('aftersales.ticket.dispatch', 'create', [{
        ticket_id: ticketId, engineer_id: engineerUid, contact_id: archive.contact_id[0],
        contact_phone: '+86 138 1234 5678', site_address: 'Plant 2, 15 Tinglan Lane, Suzhou Industrial Park',
        appointment_date: odooDatetime(1),
    }], { context });
    await rpc.call('aftersales.ticket.dispatch', 'action_confirm', [[wizard]], { context });
    await rpc.call('aftersales.ticket', 'action_arrive', [[ticketId]]);
    const [ticket] = await rpc.call('aftersales.ticket', 'read', [[ticketId], ['name', 'state']]);
    return { id: ticketId, name: ticket.name, archive };
}

// A service record of `serial` that the engineer finished: it waits for the customer's signature.
export async function recordToSign(rpc, serial, engineerUid, workDone) {
    const archive = await archiveBySerial(rpc, serial);
    const recordId = await rpc.call('aftersales.service.record', 'create', [{
        archive_id: archive.id, partner_id: archive.partner_id[0],
        contact_id: archive.contact_id && archive.contact_id[0], engineer_id: engineerUid,
        work_done: workDone, test_result: 'passed',
        test_notes: 'Test part machined, dimensions within tolerance.',
    }]);
    // arrival and departure are stamped by the engineer's buttons, never typed (issue 13)
    await rpc.call('aftersales.service.record', 'action_arrive', [[recordId]]);
    await rpc.call('aftersales.service.record', 'action_request_signature', [[recordId]]);
    const [record] = await rpc.call('aftersales.service.record', 'read', [[recordId], ['name', 'state']]);
    return { id: recordId, name: record.name };
}

// A return visit of `serial` planned for the customer contact `contactId`, with the usage
// feedback survey to answer on the portal (R: V1, V5).
export async function visitWithSurvey(rpc, serial, contactId) {
    const archive = await archiveBySerial(rpc, serial);
    const today = new Date().toISOString().slice(0, 10);
    const deadline = new Date(Date.now() + 7 * 86400 * 1000).toISOString().slice(0, 10);
    const visitId = await rpc.call('aftersales.visit', 'create', [{
        partner_id: archive.partner_id[0], contact_id: contactId, archive_id: archive.id,
        channel: 'portal', planned_date: today, deadline,
        survey_id: await rpc.xmlid('aftersales_survey.survey_usage_feedback'),
    }]);
    const [visit] = await rpc.call('aftersales.visit', 'read', [[visitId], ['name', 'state', 'survey_url']]);
    if (!visit.survey_url) throw new FlowError(`visit ${visit.name} has no survey link`);
    return visit;
}

// A warranty repair of `serial` whose cost is over the approval threshold (R: S11): a spindle
// bearing set, six hours of labour and the travel; it waits for the cost budget approvals.
export async function repairOverThreshold(rpc, serial, title) {
    const archive = await archiveBySerial(rpc, serial);
    const ticketId = await rpc.call('aftersales.ticket', 'create', [{
        channel: 'phone', title, partner_id: archive.partner_id[0], archive_id: archive.id,
        contact_id: archive.contact_id && archive.contact_id[0],
        description: 'Spindle bearing noise came back at 8000 rpm; vibration 4.5 mm/s.',
    }]);
    const [lot] = await rpc.call('aftersales.archive', 'read', [[archive.id], ['lot_id']]);
    const ref = (xmlid) => rpc.xmlid(xmlid);
    const unit = await ref('product.product_uom_unit');
    const repairId = await rpc.call('mrp.repair', 'create', [{
        ticket_id: ticketId, archive_id: archive.id, product_id: archive.product_id[0],
        product_uom: unit, lot_id: lot.lot_id[0], partner_id: archive.partner_id[0],
        location_id: await ref('stock.stock_location_customers'),
        location_dest_id: await ref('stock.stock_location_customers'),
        invoice_method: 'none',
        operations: [[0, 0, {
            type: 'add', product_id: await ref('aftersales_warranty.product_spindle_bearing_demo'),
            name: 'Spindle Bearing Set 7014', product_uom_qty: 1, product_uom: unit, price_unit: 3800,
            location_id: await ref('stock.stock_location_stock'),
            location_dest_id: await ref('stock.location_production'),
        }]],
        fees_lines: [[0, 0, {
            fee_type: 'labour', product_id: await ref('aftersales_warranty.product_service_hour_demo'),
            name: 'Spindle rebuild, 6 hours', product_uom_qty: 6,
            product_uom: await ref('product.product_uom_hour'), price_unit: 300,
        }], [0, 0, {
            fee_type: 'travel', product_id: await ref('aftersales_warranty.product_travel_jiangsu_demo'),
            name: 'Travel Wuxi - Suzhou', product_uom_qty: 1, product_uom: unit, price_unit: 800,
        }]],
    }]);
    // the admin created it and asks for its approval: he is not one of its approvers
    await rpc.call('mrp.repair', 'request_validation', [[repairId]]);
    const [repair] = await rpc.call('mrp.repair', 'read',
        [[repairId], ['name', 'internal_cost', 'cost_over_threshold', 'coverage_decision',
            'tier_next_review', 'validated']]);
    return repair;
}
