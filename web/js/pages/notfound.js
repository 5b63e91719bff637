// notfound.js: the page for an address that leads nowhere (served with
// status 404): only the header, so that a signed-in person sees they are.
import { header } from '../layout.js';

header();
