import { router } from '../../trpc.ts';
import { createResourceRoute } from './create-resource.ts';
import { discoverResourceFieldsRoute } from './discover-resource-fields.ts';
import { getResourceRoute } from './get-resource.ts';
import { listResourcesRoute } from './list-resources.ts';
import { previewResourceMappingRoute } from './preview-resource-mapping.ts';
import { suggestResourceMappingsRoute } from './suggest-resource-mappings.ts';
import { updateResourceRoute } from './update-resource.ts';

export const resourcesRouter = router({
  list: listResourcesRoute,
  get: getResourceRoute,
  create: createResourceRoute,
  update: updateResourceRoute,
  discoverFields: discoverResourceFieldsRoute,
  suggestMappings: suggestResourceMappingsRoute,
  previewMapping: previewResourceMappingRoute,
});
