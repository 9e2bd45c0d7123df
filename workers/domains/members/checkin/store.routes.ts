import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireUser } from '../../auth/middleware';
import { CalendarQuery, CheckinCalendarSchema, CheckinResultSchema, MakeupCheckinInput } from './dto';
import { checkIn, getCheckinCalendar, makeUpCheckin } from './checkin.service';

const tags = ['Check-in'];
export const checkinStoreRoutes = createRouter();

checkinStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/checkin',
    operationId: 'checkIn',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: '签到: check in today (Asia/Shanghai calendar day). Once per day: a second call the same day grants nothing',
    description:
      'The first check-in of a Beijing day answers 201 with the daily points and any streak bonus (granted to the points ledger ' +
      'as reason checkin / checkin_bonus, ref checkin:<userId>:<day>). Every later call that day — also concurrent ones — answers ' +
      "200 with `alreadyCheckedIn: true` and the same day's result; nothing is granted twice. The day turns at 00:00 Beijing time " +
      '(16:00 UTC). 409 members.checkin_disabled when staff switched check-in off.',
    responses: {
      201: jsonContent(CheckinResultSchema, 'checked in now'),
      200: jsonContent(CheckinResultSchema, 'already checked in today: the first result, nothing granted'),
      401: errorResponses[401],
      403: errorResponses[403],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await checkIn(ctxOf(c));
    return r.created ? c.json(r.result, 201) : c.json(r.result, 200);
  },
);

checkinStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/checkin/makeup',
    operationId: 'makeUpCheckin',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: '补签: check in a missed day of the current month within the make-up window, using one make-up card',
    description:
      'The day gets its daily points, and the streak it restores may earn a bonus (never more than an unbroken streak would have). ' +
      'A day that is already checked answers 200 with `alreadyCheckedIn` and uses no card (safe to retry). ' +
      '409 members.no_makeup_card (no card) · members.makeup_not_allowed (details.reason: not_past, outside_window, other_month, ' +
      'before_signup, disabled) · members.checkin_disabled.',
    request: { body: jsonBody(MakeupCheckinInput) },
    responses: {
      201: jsonContent(CheckinResultSchema, 'made up'),
      200: jsonContent(CheckinResultSchema, 'that day was already checked in: nothing used or granted'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await makeUpCheckin(ctxOf(c), c.req.valid('json').day);
    return r.created ? c.json(r.result, 201) : c.json(r.result, 200);
  },
);

checkinStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/checkin/calendar',
    operationId: 'getCheckinCalendar',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      "签到日历: a month's days (checked / made up / missed), the streak, today's reward, the next bonus, the ladder and the cards held",
    request: { query: CalendarQuery },
    responses: { 200: jsonContent(CheckinCalendarSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getCheckinCalendar(ctxOf(c), c.req.valid('query').month), 200),
);
