-- Views of the demo event app (flow S1) that the Smartsheet sheets are pushed from. They belong
-- to the host application, not to Syncbridge: a resource reads them through options.readView.

-- Session RSVPs with the attendee's and the session's details.
CREATE VIEW "rsvp_sheet_rows" AS
SELECT r.id,
       r.user_id,
       p.full_name AS user_name,
       p.email AS user_email,
       p.profile_visibility,
       r.session_id,
       s.title AS session_title,
       s.start_time AS session_start,
       to_char(s.start_time AT TIME ZONE 'UTC', 'HH24:MI') AS session_time,
       s.track AS session_track,
       r.status,
       r.created_at,
       r.updated_at
  FROM "rsvps" r
  JOIN "profiles" p ON p.id = r.user_id
  JOIN "event_sessions" s ON s.id = r.session_id;

-- Connections with both people's details.
CREATE VIEW "connection_sheet_rows" AS
SELECT c.id,
       a.full_name AS scanner_name,
       a.email AS scanner_email,
       a.role AS scanner_role,
       b.full_name AS scanned_name,
       b.email AS scanned_email,
       b.role AS scanned_role,
       (a.profile_visibility <> 'private' AND b.profile_visibility <> 'private') AS both_public,
       c.connection_method,
       c.created_at,
       c.updated_at
  FROM "connections" c
  JOIN "profiles" a ON a.id = c.scanner_id
  JOIN "profiles" b ON b.id = c.scanned_id;

-- Session analytics: RSVP counts by status and the fill rate (attending / capacity).
CREATE VIEW "session_analytics" AS
SELECT s.id,
       s.title,
       s.speaker,
       s.track,
       s.start_time,
       s.location,
       s.capacity,
       count(r.id) FILTER (WHERE r.status = 'attending')::int AS attending,
       count(r.id) FILTER (WHERE r.status = 'maybe')::int AS maybe,
       count(r.id) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
       CASE WHEN s.capacity > 0
            THEN round(count(r.id) FILTER (WHERE r.status = 'attending')::numeric / s.capacity, 4)
            ELSE 0 END AS fill_rate,
       s.status,
       greatest(s.updated_at, max(r.updated_at)) AS updated_at
  FROM "event_sessions" s
  LEFT JOIN "rsvps" r ON r.session_id = s.id
 GROUP BY s.id;
