import { render } from 'preact';
import '../styles.css';
import { EnrollPage } from './EnrollPage';

render(<EnrollPage />, document.getElementById('app')!);
