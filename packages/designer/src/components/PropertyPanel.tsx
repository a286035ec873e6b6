// The panel lives in ../panels (one file per node kind); this path stays for existing imports.
export { type PanelProps, PropertyPanel } from '../panels/PropertyPanel';
