export {
  DIVISIONS,
  type Division,
  divisionFullName,
  divisionPath,
  findDivision,
  hasDivisionData,
} from './divisions';
export { describeIdCard, type IdCardInfo, idCardCheckCharacter, normaliseMobile } from './idcard';
export { LianxinForm, type LianxinFormProps, splitForm } from './LianxinForm';
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
