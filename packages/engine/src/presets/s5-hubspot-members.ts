// Flow S5 (app ↔ HubSpot, two-way): the `members` table kept in sync with HubSpot contacts
// (spec: "Member Mapping Example (BritePool → HubSpot)").
//
// - Identity: every contact we create carries the member's id in the custom unique property
//   `syncbridge_id` (the resource's externalKeyField), so a create whose response was lost is
//   recovered instead of duplicated. A contact that already exists in HubSpot (or is created
//   there) is adopted by email on pull (`matchOn` email ↔ email) instead of creating a second
//   member. HubSpot lower-cases emails: keep `members.email` lower-case, or the first pull
//   rewrites it.
// - Change detection: pulls read incrementally by `lastmodifieddate` (the connector's cursor, with
//   a safety margin; repeats are skipped by hash), pushes come from the change-capture outbox and
//   read the contact first, so an edit on both sides is reconciled three-way either way round.
//   `updated_at` is the local side's edit time for LATEST_WINS; the app must set it on every
//   write (the column has no trigger).
// - Conflicts follow the integration's (or resource's) strategy; only fields edited on both
//   sides to different values conflict, other edits from each side are merged.
// - Deletes: IGNORE both ways. Archiving a contact in HubSpot only marks the mapping DELETED (the
//   member stays: membership is owned by the app), and deleting a member does not archive the
//   contact (`pushDeletes: 'ignore'`): a CRM contact outlives the membership (history, marketing
//   consent), so removing it is left to a person in HubSpot.
// - Status: `members.status` (active / inactive / pending) goes to the custom enumeration
//   property `membership_status` rather than `hs_lead_status`, whose options mean sales stages.
//   A status outside those options is refused by HubSpot (400) and that member's push FAILS
//   alone until the option is added to the property.
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

/** Property holding our member id on the contact (unique in the portal). */
export const S5_KEY_PROPERTY = 'syncbridge_id';

/** Values of `members.status`, and so the options of `membership_status`. */
export const S5_MEMBER_STATUSES = ['active', 'inactive', 'pending'] as const;

/** A custom contact property the portal must define (same shape as the sandbox's property spec). */
export interface S5PropertySpec {
  name: string;
  label: string;
  type: 'string' | 'enumeration';
  fieldType?: string;
  options?: string[];
  hasUniqueValue?: boolean;
}

/**
 * Custom contact properties the HubSpot portal needs before the first sync (Settings → Properties,
 * or POST /crm/v3/properties/contacts); HubSpot's own email / firstname / lastname / phone are used
 * for the rest. Writing a property that does not exist fails the record (PROPERTY_DOESNT_EXIST).
 */
export const S5_HUBSPOT_PROPERTIES: readonly S5PropertySpec[] = [
  { name: S5_KEY_PROPERTY, label: 'Syncbridge ID', type: 'string', hasUniqueValue: true },
  {
    name: 'membership_status',
    label: 'Membership status',
    type: 'enumeration',
    fieldType: 'select',
    options: [...S5_MEMBER_STATUSES],
  },
  { name: 'britepool_role', label: 'BritePool role', type: 'string' },
];

/**
 * HubSpot stores a cleared property as '' (and returns null for one never set); locally that is
 * NULL. Without this a member with no phone would look changed on every pull after its push.
 */
const emptyIsNull = { type: 'enum', map: { '': null } } as const;

/** members column ↔ contact property. */
export const s5MemberMappings: FieldMappingInput[] = [
  { local: 'email', external: 'email', required: true },
  // Contacts made in HubSpot often have only an email; `members.first_name` is NOT NULL.
  { local: 'first_name', external: 'firstname', default: '' },
  { local: 'last_name', external: 'lastname', reverseTransform: emptyIsNull },
  { local: 'phone', external: 'phone', reverseTransform: emptyIsNull },
  { local: 'status', external: 'membership_status', reverseTransform: emptyIsNull, default: 'active' },
  { local: 'role', external: 'britepool_role', reverseTransform: emptyIsNull },
];

/** Properties read from HubSpot (the connector adds the key property): no discovery request, no unused data. */
export const S5_READ_PROPERTIES = s5MemberMappings.map((m) => m.external);

export function s5MembersResource(integrationId: string): ResourceInput {
  return {
    integrationId,
    name: 'members',
    resourceType: 'MEMBER',
    localSchema: 'public',
    localTable: 'members',
    localKeyColumn: 'id',
    externalObject: 'contacts',
    externalKeyField: S5_KEY_PROPERTY,
    direction: 'BIDIRECTIONAL',
    deletePolicy: 'IGNORE',
    fieldMappings: s5MemberMappings as Prisma.InputJsonValue,
    options: {
      updatedAtColumn: 'updated_at',
      matchOn: { local: 'email', external: 'email' },
      pushDeletes: 'ignore',
      connector: { properties: S5_READ_PROPERTIES },
    },
  };
}
