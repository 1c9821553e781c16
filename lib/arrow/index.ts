export { columnValues, readArrowFile } from './read-arrow';
