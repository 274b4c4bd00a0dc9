// Entry point: applies the theme, picks the backend and renders the app.
import './lib/locale';
import { render } from 'preact';
import { selectBackend } from './api/select';
import { App } from './app';
import { applyTheme } from './lib/theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/views.css';

applyTheme();
render(<App backend={selectBackend()} />, document.getElementById('app')!);
