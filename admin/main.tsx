import { render } from 'preact';
import { AdminApp } from './App';
import { createHttpApi } from './lib/api';
import { connectLive } from './lib/live';
import './admin.css';

const root = document.getElementById('app');
if (root) {
  render(<AdminApp makeApi={(onUnauthorized) => createHttpApi({ onUnauthorized })} connect={connectLive} prefs={localStorage} />, root);
}
