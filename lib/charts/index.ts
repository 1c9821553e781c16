export { figureHtml, plotlyLibraryHtml, type DataSource, type Figure, type FigureOptions } from './plotly-html';
