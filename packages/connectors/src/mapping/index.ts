export { getPath, setPath, parsePath } from './paths.ts';
export { transformFunctions, transformFunctionInverses, registerTransformFunction } from './transforms.ts';
export type { TransformFunction } from './transforms.ts';
export {
  ZFieldMapping,
  ZFieldMappings,
  ZTransform,
  parseFieldMappings,
  mapToExternal,
  mapToLocal,
  localColumns,
  MappingError,
  hashablePayload,
  inverseTransform,
} from './mapping.ts';
export type { FieldMapping, FieldMappingInput, Transform, MappingContext } from './mapping.ts';
