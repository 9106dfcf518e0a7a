import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { Access, requireAccess, ROOT_TYPES } from './access';
import { declaredOnField, UNDECLARED } from './access-map';
import type { RequestContext } from './context';

/**
 * Access decided once per type and field, when the schema is built, instead of per resolution:
 * a field that declares `@Allow` gets its one requirement checked synchronously before its
 * resolver, by the same function as the downloads (`requireAccess`); a field that declares none
 * needs nothing more than its parent's check and gets no wrapper. The fields the access map lists
 * with a requirement of their own (access-map.json) are exactly the ones wrapped here, as both read
 * `declaredOnField`.
 */
export function compileFieldAccess(schema: GraphQLSchema): GraphQLSchema {
  const plainFields = plainFieldsOf();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const [access] = declaredOnField(type.name, field.name).filter((a) => a !== (UNDECLARED as Access));
      if (!access) {
        // type-graphql's resolver for a plain property reads root[name] through its (empty) middleware chain: graphql-js's own reads it directly.
        if (plainFields.has(`${type.name}.${field.name}`)) field.resolve = undefined;
        continue;
      }
      const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
      const rootField = ROOT_TYPES.has(type.name) ? `${type.name}.${field.name}` : null;
      field.resolve = (root, args, context, info) => {
        requireAccess(context, access, rootField);
        return resolve(root, args, context, info);
      };
    }
  }
  return schema;
}

/**
 * `Type.field` of object-type properties served as they are: no field resolver (type-graphql
 * matches them by the declaring class and member, as here), no middleware, the schema's name the
 * property's. A type's fields include those it inherits from object-type classes it extends
 * (`TransferView extends PaymentOrderView`), as type-graphql copies them; its own come first. A
 * GraphQL type name that more than one class claims is left alone.
 */
function plainFieldsOf(): Set<string> {
  const storage = getMetadataStorage();
  const served = new Map<Function, Set<string>>();
  for (const resolver of storage.fieldResolvers) {
    const type = resolver.getObjectType?.();
    if (!type) continue;
    if (!served.has(type)) served.set(type, new Set());
    served.get(type)!.add(resolver.methodName);
  }
  const claimed = new Map<string, number>();
  for (const type of storage.objectTypes) claimed.set(type.name, (claimed.get(type.name) ?? 0) + 1);
  const byClass = new Map(storage.objectTypes.map((type) => [type.target, type]));
  const plain = new Set<string>();
  for (const type of storage.objectTypes) {
    if (claimed.get(type.name) !== 1) continue;
    const seen = new Set<string>();
    for (let declaring = byClass.get(type.target); declaring; declaring = byClass.get(Object.getPrototypeOf(declaring.target))) {
      for (const field of declaring.fields ?? []) {
        if (seen.has(field.schemaName)) continue;
        seen.add(field.schemaName);
        if (field.middlewares?.length || field.schemaName !== field.name || served.get(field.target)?.has(field.name)) continue;
        plain.add(`${type.name}.${field.schemaName}`);
      }
    }
  }
  return plain;
}
