/** Entry: the router. Every page but the login form is a lazy chunk, so logging in never loads charts. */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AuthProvider, useAuth } from './auth.tsx';
import { ErrorBoundary, RouteError } from './components/ErrorBoundary.tsx';
import { Loading } from './components/ui.tsx';
import { Shell } from './Shell.tsx';
import './styles.css';

const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const OrdersPage = lazy(() => import('./pages/OrdersPage.tsx'));
const OrderPage = lazy(() => import('./pages/OrderPage.tsx'));
const LicenseItemPage = lazy(() => import('./pages/LicenseItemPage.tsx'));
const ItemStatsPage = lazy(() => import('./pages/ItemStatsPage.tsx'));
const ProjectStatsPage = lazy(() => import('./pages/ProjectStatsPage.tsx'));
const UsageStatisticsPage = lazy(() => import('./pages/UsageStatisticsPage.tsx'));
const SessionsPage = lazy(() => import('./pages/SessionsPage.tsx'));
const ActivationsPage = lazy(() => import('./pages/ActivationsPage.tsx'));
const ProjectsPage = lazy(() => import('./pages/ProjectsPage.tsx'));
const ProjectEditPage = lazy(() => import('./pages/ProjectEditPage.tsx'));
const LicensesPage = lazy(() => import('./pages/LicensesPage.tsx'));
const SettingsPage = lazy(() => import('./pages/SettingsPage.tsx'));
const VendorPage = lazy(() => import('./pages/vendor/VendorPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));

function Home() {
  const { user } = useAuth();
  return <Navigate to={user?.role === 'member' ? '/licenses' : '/orders'} replace />;
}

const page = (el: React.ReactNode) => (
  <ErrorBoundary>
    <Suspense fallback={<Loading />}>{el}</Suspense>
  </ErrorBoundary>
);

const router = createBrowserRouter([
  { path: '/login', element: page(<LoginPage />), errorElement: <RouteError /> },
  {
    path: '/',
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      { path: 'orders', element: page(<OrdersPage />) },
      { path: 'orders/:orderId', element: page(<OrderPage />) },
      { path: 'licenses', element: page(<LicensesPage />) },
      { path: 'license-items/:itemId', element: page(<LicenseItemPage />) },
      { path: 'license-items/:itemId/stats', element: page(<ItemStatsPage />) },
      { path: 'usage-statistics', element: page(<UsageStatisticsPage />) },
      { path: 'sessions', element: page(<SessionsPage />) },
      { path: 'activations', element: page(<ActivationsPage />) },
      { path: 'projects', element: page(<ProjectsPage />) },
      { path: 'projects/new', element: page(<ProjectEditPage />) },
      { path: 'projects/:projectId/edit', element: page(<ProjectEditPage />) },
      { path: 'projects/:projectId', element: page(<ProjectStatsPage />) },
      { path: 'settings', element: page(<SettingsPage />) },
      { path: 'vendor/*', element: page(<VendorPage />) },
      { path: '*', element: page(<NotFoundPage />) },
    ],
  },
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  </StrictMode>,
);
