import {
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/** What a field resolver reads of its parent object, by field name, for those that read plain properties only. */
export type FieldReads = Readonly<Record<string, readonly string[]>>;

/** The fields a page query selects of its items (under `listField`, e.g. `items`), and the items' type. */
export interface ItemSelection {
  type: GraphQLObjectType;
  names: ReadonlySet<string>;
}

/**
 * The names of the fields selected of each item under `listField`, through inline fragments and
 * fragment spreads, whatever their type condition and @skip/@include say (a superset of what
 * runs). Null when the page's type has no such list of objects.
 */
export function itemFieldsSelected(info: GraphQLResolveInfo, listField: string): ItemSelection | null {
  const page = getNamedType(info.returnType);
  const list = isObjectType(page) ? page.getFields()[listField] : undefined;
  const type = list && getNamedType(list.type);
  if (!type || !isObjectType(type)) return null;
  const names = new Set<string>();
  for (const node of info.fieldNodes)
    eachField(info, node.selectionSet, (pageField) => {
      if (pageField.name.value === listField) eachField(info, pageField.selectionSet, (itemField) => names.add(itemField.name.value));
    });
  return { type, names };
}

/**
 * The properties of each item that the selected fields need: for a field graphql-js serves
 * straight from the item (no resolver: the property of its name), that property; for one whose
 * resolver is in `reads`, what it reads. Null when a selected field is neither, and every item
 * must be read whole.
 */
export function propertiesRead(selection: ItemSelection | null, reads: FieldReads): Set<string> | null {
  if (!selection) return null;
  const fields = selection.type.getFields();
  const properties = new Set<string>();
  for (const name of selection.names) {
    if (name === '__typename') continue;
    const read = reads[name];
    if (read) for (const property of read) properties.add(property);
    else if (fields[name] && fields[name].resolve === undefined) properties.add(name);
    else return null;
  }
  return properties;
}

/** Each field node in a selection set, through its inline fragments and fragment spreads. */
function eachField(info: GraphQLResolveInfo, selections: SelectionSetNode | undefined, visit: (field: FieldNode) => void): void {
  for (const selection of selections?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) eachField(info, selection.selectionSet, visit);
    else eachField(info, info.fragments[selection.name.value]?.selectionSet, visit);
  }
}
