export { checkForm, rawFormErrors } from './check';
export { initialData, PublicForm, type PublicFormProps } from './PublicForm';
export { PUBLIC_WIDGETS, type Unsupported, unsupportedPart } from './supported';
