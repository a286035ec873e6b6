export {
  DIVISIONS,
  type Division,
  divisionFullName,
  divisionPath,
  findDivision,
  hasDivisionData,
} from './divisions';
export {
  attachmentRefusal,
  DepartmentWidget,
  type LoadPickerChoices,
  MemberWidget,
  MoneyWidget,
  type PickerChoice,
  PickerChoicesProvider,
  type PickerKind,
} from './fieldWidgets';
export { FormErrorBoundary, formSchemaProblem, LianxinForm } from './guard';
export { describeIdCard, type IdCardInfo, idCardCheckCharacter, normaliseMobile } from './idcard';
export { type LianxinFormProps, splitForm } from './LianxinForm';
export {
  checkForm,
  initialData,
  PublicForm,
  type PublicFormProps,
  type Unsupported,
  unsupportedPart,
} from './light';
export { translateString } from './translate';
export { canonicalSchema, formValidator, precompileForm } from './validator';
export {
  AddressField,
  AttachmentsWidget,
  type AttachmentValue,
  DivisionPicker,
  DivisionWidget,
  IdCardWidget,
  type LianxinFormContext,
  lianxinFields,
  lianxinWidgets,
  MobileWidget,
  SignatureWidget,
} from './widgets';
