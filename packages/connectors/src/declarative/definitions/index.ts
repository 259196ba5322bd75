// The shipped declarative definitions, validated by the schema when this module loads (a broken
// shipped definition fails at start, with its paths, not in the middle of a sync).
import { parseDefinition, type DeclarativeDefinition } from '../definition.ts';
import { clickupDefinition } from './clickup.ts';
import { clockifyDefinition } from './clockify.ts';
import { genericDefinition } from './generic.ts';
import { harvestDefinition } from './harvest.ts';
import { mondayDefinition } from './monday.ts';
import { salesforceDefinition } from './salesforce.ts';
import { togglDefinition } from './toggl.ts';
import { trelloDefinition } from './trello.ts';

const inputs = {
  trello: trelloDefinition,
  monday: mondayDefinition,
  clickup: clickupDefinition,
  toggl: togglDefinition,
  harvest: harvestDefinition,
  clockify: clockifyDefinition,
  salesforce: salesforceDefinition,
  generic: genericDefinition,
} as const;

export type ShippedDefinitionId = keyof typeof inputs;

export const SHIPPED_DEFINITIONS: Readonly<Record<ShippedDefinitionId, DeclarativeDefinition>> = Object.freeze(
  Object.fromEntries(
    Object.entries(inputs).map(([id, input]) => [id, parseDefinition(input, `shipped definition "${id}"`)]),
  ) as Record<ShippedDefinitionId, DeclarativeDefinition>,
);

export const SHIPPED_DEFINITION_IDS = Object.keys(inputs) as ShippedDefinitionId[];

/** The shipped definition serving an integration type (TRELLO, …, GENERIC_REST), if any. */
export function shippedDefinitionFor(integrationType: string): DeclarativeDefinition | undefined {
  return Object.values(SHIPPED_DEFINITIONS).find((definition) => definition.integrationType === integrationType);
}
